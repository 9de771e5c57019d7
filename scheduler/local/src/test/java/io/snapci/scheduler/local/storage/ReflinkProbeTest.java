package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.FileTransfer.ReflinkTrial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The reflink trial runs once for filesystems that cannot reflink, and every time where they can or where the trial
 * failed for another reason.
 */
class ReflinkProbeTest {

    @TempDir
    Path dir;

    /** The filesystems' own "no" is remembered; a "yes", or any other failure, is asked again. */
    @ParameterizedTest
    @CsvSource({"UNSUPPORTED, false, 1", "WORKS, true, 2", "FAILED, false, 2"})
    void aTrialRunsAgainUnlessTheFilesystemsSaidNo(ReflinkTrial answer, boolean works, int expectedTrials)
            throws Exception {
        AtomicInteger trials = new AtomicInteger();
        ReflinkProbe probe = new ReflinkProbe((sample, scratch) -> {
            trials.incrementAndGet();
            return answer;
        });
        assertEquals(works, probe.works(sample("segment"), dir));
        assertEquals(works, probe.works(sample("other"), dir), "another file on the same two filesystems");
        assertEquals(expectedTrials, trials.get());
    }

    @Test
    void theRealTrialTellsTheFilesystemsNoFromAVanishedSample() throws Exception {
        Path sample = sample("segment");
        ReflinkTrial answer = FileTransfer.tryReflink(sample, dir);
        assertNotEquals(ReflinkTrial.FAILED, answer, "ext4 and tmpfs say UNSUPPORTED, btrfs and XFS WORKS");
        assertEquals(ReflinkTrial.FAILED, FileTransfer.tryReflink(dir.resolve("recycled"), dir));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "the trials leave nothing behind");
        }
    }

    private Path sample(String name) throws Exception {
        return Files.writeString(dir.resolve(name), "bytes");
    }
}
