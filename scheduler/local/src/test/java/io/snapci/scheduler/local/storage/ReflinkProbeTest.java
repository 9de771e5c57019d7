package io.snapci.scheduler.local.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reflink trial runs once for filesystems without reflinks, every time where they work or the answer is unsure. */
class ReflinkProbeTest {

    @TempDir
    Path dir;

    @Test
    void filesystemsWithoutReflinksAreTriedOnce() throws Exception {
        Path sample = Files.writeString(dir.resolve("segment"), "bytes");
        AtomicInteger trials = new AtomicInteger();
        ReflinkProbe probe = new ReflinkProbe((s, scratch) -> {
            trials.incrementAndGet();
            return false;
        });
        assertFalse(probe.works(sample, dir));
        assertFalse(probe.works(Files.writeString(dir.resolve("other"), "more"), dir), "same filesystems");
        assertEquals(1, trials.get());
    }

    @Test
    void filesystemsWithReflinksAreTriedEachTime() throws Exception {
        Path sample = Files.writeString(dir.resolve("segment"), "bytes");
        AtomicInteger trials = new AtomicInteger();
        ReflinkProbe probe = new ReflinkProbe((s, scratch) -> trials.incrementAndGet() > 0);
        assertTrue(probe.works(sample, dir));
        assertTrue(probe.works(sample, dir));
        assertEquals(2, trials.get());
    }

    @Test
    void aNoWhoseSampleVanishedIsNotTheFilesystemsAnswer() throws Exception {
        Path sample = Files.writeString(dir.resolve("segment"), "bytes");
        AtomicInteger trials = new AtomicInteger();
        ReflinkProbe probe = new ReflinkProbe((s, scratch) -> {
            trials.incrementAndGet();
            try {
                Files.deleteIfExists(s); // recycled by the node while cp ran
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return false;
        });
        assertFalse(probe.works(sample, dir));
        Files.writeString(sample, "a new segment");
        probe.works(sample, dir);
        assertEquals(2, trials.get());
    }

    @Test
    void theRealTrialAgreesWithItselfWhenRemembered() throws Exception {
        Path sample = Files.writeString(dir.resolve("segment"), "bytes");
        ReflinkProbe probe = new ReflinkProbe();
        boolean first = probe.works(sample, dir);
        assertEquals(first, FileTransfer.reflinkWorks(sample, dir));
        assertEquals(first, probe.works(sample, dir));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "the trials leave nothing behind");
        }
    }
}
