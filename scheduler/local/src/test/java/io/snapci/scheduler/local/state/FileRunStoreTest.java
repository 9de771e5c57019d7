package io.snapci.scheduler.local.state;

import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.testkit.PersistentRunStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileRunStoreTest extends PersistentRunStoreContract {

    @TempDir
    Path dir;

    @Override
    protected RunStore store() {
        return new FileRunStore(dir);
    }

    @Override
    protected void writeRecord(String runId, byte[] json) throws Exception {
        Files.write(dir.resolve(runId + ".json"), json);
    }

    @Override
    protected byte[] readRecord(String runId) throws Exception {
        return Files.readAllBytes(dir.resolve(runId + ".json"));
    }

    @Test
    void aNewStoreOnTheSameDirectoryKnowsTheRuns() {
        RunStatus run = RunStatus.queued("r1", new RunSpec(null, "true", null, null, null, null, null, null, null),
                Instant.parse("2026-11-25T06:00:00Z"));
        new FileRunStore(dir).save(run);
        assertThat(new FileRunStore(dir).find("r1")).contains(run);
        assertThat(dir.resolve("r1.json")).exists();
        assertThat(dir.resolve(".r1.tmp")).doesNotExist();
    }

    @Test
    void anIdThatWouldEscapeTheDirectoryIsRefused() throws Exception {
        FileRunStore store = new FileRunStore(dir.resolve("runs"));
        Files.writeString(dir.resolve("secret.json"), "{}");
        assertThat(store.find("../secret")).isEmpty();
        RunStatus evil = RunStatus.queued("../evil", new RunSpec(null, "true", null, null, null, null, null, null,
                null), Instant.now());
        assertThrows(IllegalArgumentException.class, () -> store.save(evil));
    }
}
