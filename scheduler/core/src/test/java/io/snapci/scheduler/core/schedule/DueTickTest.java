package io.snapci.scheduler.core.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DueTickTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final SnapshotSchedule HOURLY = SnapshotSchedule.every("hourly", "prod", Duration.ofHours(1),
            new Retention(3, null));

    @Test
    void anIntervalScheduleTicksAtOnceThenEveryIntervalAndCatchesUpOnce() {
        ScheduleState added = new ScheduleState(HOURLY, T0, null, null, null);
        assertThat(added.dueTick(T0)).isEqualTo(T0);
        ScheduleState taken = added.taken(T0, "s0");
        assertThat(taken.dueTick(T0.plus(Duration.ofMinutes(59)))).isNull();
        assertThat(taken.dueTick(T0.plus(Duration.ofHours(7).plusMinutes(5))))
                .isEqualTo(T0.plus(Duration.ofHours(7)));
    }

    @Test
    void schedulesAreValidatedWithAdvice() {
        assertThatThrownBy(() -> SnapshotSchedule.every("Bad Name", "prod", Duration.ofHours(1), new Retention(1, null)))
                .hasMessageContaining("lower-case");
        assertThatThrownBy(() -> SnapshotSchedule.every("fast", "prod", Duration.ofSeconds(10), new Retention(1, null)))
                .hasMessageContaining("at least PT1M");
        assertThatThrownBy(() -> new Retention(null, null)).hasMessageContaining("keepLast, maxAge or both");
    }

}
