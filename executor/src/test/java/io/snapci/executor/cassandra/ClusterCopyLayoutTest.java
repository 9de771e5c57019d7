package io.snapci.executor.cassandra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Three nodes' clones, each a whole node as production had it, become the layout of a local merged copy. */
class ClusterCopyLayoutTest {

    @TempDir
    Path tmp;

    private CassandraDirectories node(String name, String segment) throws IOException {
        CassandraDirectories dirs = CassandraDirectories.under(tmp.resolve(name));
        for (String ks : List.of("system", "system_schema", "shop")) {
            Path table = dirs.data().resolve(ks).resolve("t-1");
            Files.createDirectories(table);
            Files.writeString(table.resolve("nb-1-big-Data.db"), name + "/" + ks);
        }
        Files.createDirectories(dirs.commitlog());
        Files.writeString(dirs.commitlog().resolve(segment), name);
        return dirs;
    }

    @Test
    void furtherNodesAreLinkedAsDataNWithoutTheirSystemKeyspacesAndTheirCommitLogsBesideTheFirsts() throws Exception {
        CassandraDirectories first = node("snapci-copy", "CommitLog-7-1.log");
        CassandraDirectories second = node("snapci-copy-2", "CommitLog-7-2.log");
        CassandraDirectories third = node("snapci-copy-3", "CommitLog-7-3.log");

        ClusterCopyLayout.join(first, List.of(second, third));

        assertThat(first.dataDirectories()).containsExactly(first.data(), first.root().resolve("data-2"),
                first.root().resolve("data-3"));
        assertThat(Files.readString(first.root().resolve("data-3/shop/t-1/nb-1-big-Data.db")))
                .isEqualTo("snapci-copy-3/shop");
        assertThat(first.root().resolve("data-2/system")).doesNotExist();
        assertThat(first.root().resolve("data-2/system_schema")).doesNotExist();
        assertThat(first.data().resolve("system")).as("node 1 keeps its system keyspace and schema").isDirectory();
        assertThat(first.commitlog().resolve("CommitLog-7-2.log")).hasContent("snapci-copy-2");
        assertThat(first.commitlog().resolve("CommitLog-7-3.log")).exists();
        assertThat(second.commitlog().resolve("CommitLog-7-2.log")).doesNotExist();

        ClusterCopyLayout.join(first, List.of(second, third));
        assertThat(first.dataDirectories()).as("a task started again on the same clones finds them joined")
                .hasSize(3);
    }

    @Test
    void twoSegmentsOfOneNameAreRefusedBeforeAnythingMoves() throws Exception {
        CassandraDirectories first = node("snapci-copy", "CommitLog-7-1.log");
        CassandraDirectories second = node("snapci-copy-2", "CommitLog-7-1.log");

        assertThatThrownBy(() -> ClusterCopyLayout.join(first, List.of(second)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nodetool drain");
        assertThat(second.data().resolve("system")).isDirectory();
        assertThat(first.root().resolve("data-2")).doesNotExist();
    }
}
