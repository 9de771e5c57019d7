package io.snapci.scheduler.core.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronTest {

    @Test
    void stepsRangesListsAndWeekdaysMatch() {
        Cron quarter = Cron.parse("*/15 * * * *");
        assertThat(quarter.matches(Instant.parse("2026-11-25T10:45:00Z"))).isTrue();
        assertThat(quarter.matches(Instant.parse("2026-11-25T10:46:00Z"))).isFalse();
        Cron weekdayMornings = Cron.parse("30 6 * * 1-5");
        assertThat(weekdayMornings.matches(Instant.parse("2026-11-25T06:30:00Z"))).as("a Wednesday").isTrue();
        assertThat(weekdayMornings.matches(Instant.parse("2026-11-29T06:30:00Z"))).as("a Sunday").isFalse();
        assertThat(Cron.parse("0 0 * * 7").matches(Instant.parse("2026-11-29T00:00:00Z"))).as("7 is Sunday").isTrue();
        assertThat(Cron.parse("0 12 1,15 * *").matches(Instant.parse("2026-11-15T12:00:00Z"))).isTrue();
    }

    @Test
    void theLatestMatchAfterAPauseIsOneTick() {
        Cron hourly = Cron.parse("0 * * * *");
        assertThat(hourly.latestIn(Instant.parse("2026-11-25T05:00:00Z"), Instant.parse("2026-11-25T10:20:00Z")))
                .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(hourly.latestIn(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:59:00Z")))
                .isNull();
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> Cron.parse("* * *")).hasMessageContaining("five fields");
        assertThatThrownBy(() -> Cron.parse("61 * * * *")).hasMessageContaining("minute 61 is outside 0-59");
        assertThatThrownBy(() -> Cron.parse("x * * * *")).hasMessageContaining("not a number");
    }
}
