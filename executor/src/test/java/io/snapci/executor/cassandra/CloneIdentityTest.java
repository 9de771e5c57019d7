package io.snapci.executor.cassandra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CloneIdentityTest {

    @TempDir
    Path dir;

    private Path table(Path root, String keyspace, String table) throws Exception {
        Path t = Files.createDirectories(root.resolve("data").resolve(keyspace).resolve(table + "-" + "a".repeat(32)));
        Files.writeString(t.resolve("nb-1-big-Data.db"), "rows");
        return t;
    }

    @Test
    void removesTheSourceNodesIdentityAndRingButKeepsSchemaAndData() throws Exception {
        Path copy = dir.resolve("copy");
        Path local = table(copy, "system", "local");
        Path peers = table(copy, "system", "peers");
        Path peersV2 = table(copy, "system", "peers_v2");
        Path compaction = table(copy, "system", "compaction_history");
        Path schema = table(copy, "system_schema", "tables");
        Path user = table(copy, "guestbook", "entries");
        Files.writeString(copy.resolve(CassandraDirectories.CLONE_MARKER), "{}");

        var removed = CloneIdentity.reset(CassandraDirectories.under(copy));

        assertThat(removed).containsExactlyInAnyOrder(local, peers, peersV2);
        assertThat(local).doesNotExist();
        assertThat(peers).doesNotExist();
        assertThat(compaction).exists();
        assertThat(schema.resolve("nb-1-big-Data.db")).hasContent("rows");
        assertThat(user.resolve("nb-1-big-Data.db")).hasContent("rows");
    }

    @Test
    void removesTheHintsItHeldForProductionsPeers() throws Exception {
        // A cluster copy is the whole cloned volume, hints included; the copy has no peers to deliver them to.
        Path copy = dir.resolve("copy");
        table(copy, "system", "local");
        Path hints = Files.createDirectories(copy.resolve("hints"));
        Path hint = Files.writeString(hints.resolve("3b0e0e7a-2c3d-4e5f-8a9b-0c1d2e3f4a5b-1700000000000-1.hints"),
                "INSERT customer=alice");
        Path checksum = Files.writeString(hints.resolve("3b0e0e7a-2c3d-4e5f-8a9b-0c1d2e3f4a5b-1700000000000-1.crc32"),
                "123");
        Files.writeString(copy.resolve(CassandraDirectories.CLONE_MARKER), "{}");

        var removed = CloneIdentity.reset(CassandraDirectories.under(copy));

        assertThat(removed).contains(hint, checksum);
        assertThat(hints).isEmptyDirectory();
    }

    @Test
    void aHintsDirectoryThatIsALinkIsUnlinkedAndWhatItPointsAtKept() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("production-hints"));
        Path productionHint = Files.writeString(elsewhere.resolve("a-1-1.hints"), "INSERT customer=alice");
        Path copy = dir.resolve("copy");
        table(copy, "system", "local");
        Path link = Files.createSymbolicLink(copy.resolve("hints"), elsewhere);
        Files.writeString(copy.resolve(CassandraDirectories.CLONE_MARKER), "{}");

        var removed = CloneIdentity.reset(CassandraDirectories.under(copy));

        assertThat(removed).contains(link);
        assertThat(link).doesNotExist();
        assertThat(productionHint).hasContent("INSERT customer=alice");
    }

    @Test
    void refusesToTouchADirectoryThatIsNotASnapciCopy() throws Exception {
        Path source = dir.resolve("production");
        Path local = table(source, "system", "local");
        Path hint = Files.writeString(Files.createDirectories(source.resolve("hints")).resolve("a-1-1.hints"), "h");
        assertThrows(IllegalStateException.class, () -> CloneIdentity.reset(CassandraDirectories.under(source)));
        assertThat(local.resolve("nb-1-big-Data.db")).hasContent("rows");
        assertThat(hint).hasContent("h");
    }
}
