package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.FileTransfer.ReflinkTrial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reflink trial runs once for filesystems that cannot reflink, and every time where they can or where the trial
 * failed for another reason.
 */
class ReflinkProbeTest {

    @TempDir
    Path dir;

    @Test
    void filesystemsWithoutReflinksAreTriedOnce() throws Exception {
        AtomicInteger trials = new AtomicInteger();
        ReflinkProbe probe = new ReflinkProbe(answering(ReflinkTrial.UNSUPPORTED, trials));
        assertFalse(probe.works(sample("segment"), dir));
        assertFalse(probe.works(sample("other"), dir), "the same two filesystems");
        assertEquals(1, trials.get());
    }

    @Test
    void filesystemsWithReflinksAreTriedEachTime() throws Exception {
        AtomicInteger trials = new AtomicInteger();
        ReflinkProbe probe = new ReflinkProbe(answering(ReflinkTrial.WORKS, trials));
        assertTrue(probe.works(sample("segment"), dir));
        assertTrue(probe.works(sample("segment"), dir));
        assertEquals(2, trials.get());
    }

    @Test
    void aTrialThatFailedForAnotherReasonIsTriedAgain() throws Exception {
        AtomicInteger trials = new AtomicInteger();
        ReflinkProbe probe = new ReflinkProbe(answering(ReflinkTrial.FAILED, trials));
        assertFalse(probe.works(sample("segment"), dir));
        assertFalse(probe.works(sample("segment"), dir));
        assertEquals(2, trials.get());
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

    private static ReflinkProbe.Trial answering(ReflinkTrial answer, AtomicInteger trials) {
        return (sample, scratch) -> {
            trials.incrementAndGet();
            return answer;
        };
    }
}
