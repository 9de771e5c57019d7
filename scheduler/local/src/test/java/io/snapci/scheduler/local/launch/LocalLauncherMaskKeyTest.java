package io.snapci.scheduler.local.launch;

import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** serve's masking.hashKeyFile reaches every execution's request; without it each execution draws its own key. */
class LocalLauncherMaskKeyTest {

    @TempDir
    Path dir;

    @Test
    void theConfiguredKeyIsInEveryLaterRequest() {
        LocalLauncher launcher = new LocalLauncher(dir.resolve("runs"), new CassandraRuntime(dir, dir.resolve("java")),
                dir);
        RunStatus run = RunStatus.queued("r1", new RunSpec(Source.dataDir("/data"), "true", null, null, Map.of(),
                null, null, null, Map.of()), Instant.parse("2026-11-25T06:00:00Z"));
        Clone clone = new Clone("c1", "r1", "/data", dir.resolve("clone").toString(), null, null, "copied");
        assertThat(launcher.request(run, clone).maskKey()).isNull();
        launcher.maskWith("stable-key-0123456789");
        assertThat(launcher.request(run, clone).maskKey()).isEqualTo("stable-key-0123456789");
    }
}
