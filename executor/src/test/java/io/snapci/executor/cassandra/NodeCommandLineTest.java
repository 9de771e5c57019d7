package io.snapci.executor.cassandra;

import io.snapci.model.CassandraSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeCommandLineTest {

    @TempDir
    Path dir;

    private NodeConfig node(List<String> jvmOptions) {
        return new NodeConfig("snapci-r1", CassandraDirectories.under(dir.resolve("copy")), dir.resolve("run"),
                new NodePorts(19042, 17000, 17199),
                new CassandraSettings(null, null, null, null, jvmOptions, null));
    }

    private CassandraRuntime runtime() {
        return new CassandraRuntime(dir.resolve("lib"), Path.of("/usr/bin/java"));
    }

    @Test
    void aFastStartSwapsTheCollectorAndCompilerAndAddsCassandrasShortcuts() {
        List<String> cmd = NodeCommandLine.build(runtime(), node(List.of()), true,
                List.of("-XX:SharedArchiveFile=/w/a.jsa"));
        assertThat(cmd).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:SharedArchiveFile=/w/a.jsa",
                "-Dcassandra.memtable.row_overhead_size=180", "-Dcassandra.skip_sync=true",
                "-Dcassandra.unsafesystem=true", "-Dcassandra.autocompaction_on_startup_enabled=false")
                .doesNotContain("-XX:+UseG1GC");
        assertThat(cmd.get(cmd.size() - 1)).isEqualTo("org.apache.cassandra.service.CassandraDaemon");
    }

    @Test
    void withoutTheFastStartTheNodeStartsAsBefore() {
        List<String> cmd = NodeCommandLine.build(runtime(), node(List.of()));
        assertThat(cmd).contains("-XX:+UseG1GC")
                .noneMatch(a -> a.contains("SerialGC") || a.contains("TieredStopAtLevel") || a.contains("Archive")
                        || a.contains("skip_sync") || a.contains("unsafesystem") || a.contains("row_overhead")
                        || a.contains("autocompaction"));
    }

    @Test
    void theUsersOwnOptionsComeAfterTheFastStartsSoTheirsWin() {
        List<String> cmd = NodeCommandLine.build(runtime(),
                node(List.of("-Dcassandra.autocompaction_on_startup_enabled=true")), true, List.of());
        assertThat(cmd.lastIndexOf("-Dcassandra.autocompaction_on_startup_enabled=true"))
                .isGreaterThan(cmd.indexOf("-Dcassandra.autocompaction_on_startup_enabled=false"));
    }

    @Test
    void memoryLockingIsDroppedOnlyWhereTheNodeCouldLockAndTheCapabilityCanBeDropped() {
        assertThat(FastStart.noMemoryLockPrefix(true)).as("switching to the copy's owner drops it anyway").isEmpty();
        boolean root = DataOwner.currentUid() == 0;
        long caps = FastStart.effectiveCapabilities();
        boolean couldLockAndDrop = (caps & (1L << 14)) != 0 && (caps & (1L << 8)) != 0;
        if (root && couldLockAndDrop) {
            assertThat(FastStart.noMemoryLockPrefix(false))
                    .containsExactly("/usr/bin/setpriv", "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock", "--");
        } else {
            assertThat(FastStart.noMemoryLockPrefix(false)).isEmpty();
        }
    }
}
