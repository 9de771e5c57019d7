package io.snapci.scheduler.local.storage;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.snapci.scheduler.local.storage.CassandraFixtures.EVENTS;
import static io.snapci.scheduler.local.storage.CassandraFixtures.LOCAL;
import static io.snapci.scheduler.local.storage.CassandraFixtures.TABLES;
import static io.snapci.scheduler.local.storage.CassandraFixtures.USERS;
import static io.snapci.scheduler.local.storage.CassandraFixtures.files;
import static io.snapci.scheduler.local.storage.CassandraFixtures.fingerprint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several nodes' directories into one copy: the layout the one test node reads, and what is refused. */
class LocalDriverClusterSourceTest {

    @TempDir
    Path tmp;

    private LocalDirectoryDriver driver() {
        return new LocalDirectoryDriver(tmp.resolve("clones"), path -> Long.MAX_VALUE,
                Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC));
    }

    /** Three nodes' homes; each node's commit log segment ids differ, as nodes started at different times. */
    private List<Path> threeNodes() throws Exception {
        List<Path> homes = new java.util.ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            Path home = tmp.resolve("node" + n);
            CassandraFixtures.dataDir(home.resolve("data"));
            CassandraFixtures.write(home.resolve("commitlog/CommitLog-7-17000000" + n + "0001.log"), 1000);
            CassandraFixtures.write(home.resolve("hints/aa-" + n + ".hints"), 100);
            homes.add(home);
        }
        return homes;
    }

    private static Source of(List<Path> homes) {
        return Source.dataDirs(homes.stream().map(Path::toString).toList());
    }

    @Test
    void theFirstNodeIsCopiedWholeAndTheOthersBringTheirDataAndCommitLogButNotTheirSystemKeyspaceOrSchema()
            throws Exception {
        List<Path> homes = threeNodes();
        Map<String, String> before = fingerprint(tmp.resolve("node2"));

        Clone clone = driver().createClone("r1", of(homes));

        Path dir = Path.of(clone.path());
        assertTrue(files(dir.resolve("data")).contains(LOCAL + "/nb-1-big-Data.db"), "the first node's system");
        assertTrue(files(dir.resolve("data")).contains(TABLES + "/nb-4-big-Data.db"), "the one schema");
        for (String further : List.of("data-2", "data-3")) {
            List<String> copied = files(dir.resolve(further));
            assertTrue(copied.contains(USERS + "/nb-1-big-Data.db"), further + ": " + copied);
            assertTrue(copied.contains(EVENTS + "/da-3-bti-Data.db"), further + ": " + copied);
            assertFalse(copied.stream().anyMatch(f -> f.startsWith("system/") || f.startsWith("system_schema/")),
                    further + " brings no system keyspace and no second schema: " + copied);
        }
        assertEquals(List.of("CommitLog-7-1700000010001.log", "CommitLog-7-1700000020001.log",
                "CommitLog-7-1700000030001.log"), files(dir.resolve("commitlog")), "every node's commit log, replayed");
        assertEquals(List.of(), files(dir.resolve("hints")), "no node's hints: they wait for production's peers");
        assertTrue(clone.description().startsWith("3 nodes into one: "), clone.description());
        assertTrue(clone.source().contains(homes.get(2).toRealPath().toString()), clone.source());
        assertEquals(List.of(), CassandraFixtures.differences(before, fingerprint(tmp.resolve("node2"))));
    }

    @Test
    void nodesThatDisagreeOnTheSchemaAreRefusedBeforeAnythingIsCopied() throws Exception {
        List<Path> homes = threeNodes();
        // node 3 missed a CREATE TABLE the others have
        Files.createDirectories(homes.get(0).resolve("data/shop/carts-00112233445566778899aabbccddeeff"));
        Files.createDirectories(homes.get(1).resolve("data/shop/carts-00112233445566778899aabbccddeeff"));

        StorageException e = assertThrows(StorageException.class, () -> driver().createClone("r2", of(homes)));

        assertEquals(Kind.INVALID_SOURCE, e.kind());
        assertTrue(e.getMessage().contains("do not agree on the schema"), e.getMessage());
        assertTrue(e.getMessage().contains("shop/carts-00112233445566778899aabbccddeeff"), e.getMessage());
        assertTrue(e.getMessage().contains("nodetool describecluster"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("clones/r2")), "nothing copied");
    }

    @Test
    void twoNodesWithTheSameCommitLogSegmentAreRefused() throws Exception {
        List<Path> homes = threeNodes();
        CassandraFixtures.write(homes.get(2).resolve("commitlog/CommitLog-7-1700000010001.log"), 10);

        StorageException e = assertThrows(StorageException.class, () -> driver().createClone("r3", of(homes)));

        assertTrue(e.getMessage().contains("both have a segment CommitLog-7-1700000010001.log"), e.getMessage());
        assertTrue(e.getMessage().contains("nodetool drain"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("clones/r3")));
    }

    @Test
    void theSameNodeTwiceOrNestedNodesAreRefused() throws Exception {
        List<Path> homes = threeNodes();
        Source nested = Source.dataDirs(List.of(homes.get(0).toString(), homes.get(0).resolve("data").toString()));

        StorageException e = assertThrows(StorageException.class, () -> driver().createClone("r4", nested));

        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Source.dataDirs(List.of(homes.get(0).toString(), homes.get(0).toString())));
    }
}
