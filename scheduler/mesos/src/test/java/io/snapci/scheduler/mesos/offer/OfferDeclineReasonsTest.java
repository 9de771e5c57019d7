package io.snapci.scheduler.mesos.offer;

import io.snapci.scheduler.core.launch.DeclineReasons;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OfferDeclineReasonsTest {

    private static DeclineReasons.Entry entry(int i, String kind) {
        return new DeclineReasons.Entry(Instant.EPOCH.plusSeconds(i), "o" + i, "a" + i, "host-" + i, "resources", kind,
                "reason " + i);
    }

    @Test
    void theRingKeepsTheNewestEntriesOldestFirstAndCountsEveryDecline() {
        DeclineReasons reasons = new DeclineReasons(3);
        for (int i = 1; i <= 5; i++) {
            reasons.record(entry(i, i % 2 == 0 ? "mem" : "attribute"));
        }

        DeclineReasons.Snapshot snapshot = reasons.snapshot();

        assertThat(snapshot.recent()).extracting(DeclineReasons.Entry::offerId).containsExactly("o3", "o4", "o5");
        assertThat(snapshot.countsByKind()).isEqualTo(Map.of("attribute", 3L, "mem", 2L));
        assertThat(snapshot.total()).isEqualTo(5);
    }

    @Test
    void aPartlyFilledRingReturnsWhatItHas() {
        DeclineReasons reasons = new DeclineReasons(10);
        reasons.record(entry(1, "ports"));

        assertThat(reasons.snapshot().recent()).extracting(DeclineReasons.Entry::reason).containsExactly("reason 1");
    }

    @Test
    void concurrentRecordsAreAllCounted() throws InterruptedException {
        DeclineReasons reasons = new DeclineReasons(100);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    reasons.record(entry(i, "mem"));
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        DeclineReasons.Snapshot snapshot = reasons.snapshot();
        assertThat(snapshot.total()).isEqualTo(40_000);
        assertThat(snapshot.countsByKind()).containsEntry("mem", 40_000L);
        assertThat(snapshot.recent()).hasSize(100).doesNotContainNull();
    }
}
