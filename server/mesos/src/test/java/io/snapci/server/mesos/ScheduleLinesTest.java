package io.snapci.server.mesos;

import io.snapci.model.Source;
import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.server.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code snapshots.schedules} lines, one volume or a cluster (several volumes, or a selector) each. */
class ScheduleLinesTest {

    @Test
    void aLineNamesOneVolumeSeveralOrASelector() {
        List<SnapshotSchedule> parsed = ScheduleLines.parse(List.of(
                "nightly;cassandra-prod;cron 0 3 * * *;7;",
                "nodes;cassandra-0, cassandra-1,cassandra-2;every 1h;3;",
                "shop;app=cassandra-shop,dc=east;every 30m;;12h"));

        assertThat(parsed.get(0).source()).isEqualTo(Source.volume("cassandra-prod"));
        assertThat(parsed.get(1).source()).isEqualTo(Source.volumes(List.of("cassandra-0", "cassandra-1",
                "cassandra-2")));
        assertThat(parsed.get(1).retention()).isEqualTo(new Retention(3, null));
        assertThat(parsed.get(2).source()).isEqualTo(Source.volumesSelector("app=cassandra-shop,dc=east"));
        assertThat(parsed.get(2).interval()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aClusterThatNamesANodeTwiceOrAnEmptyOneIsRefusedWithTheLine() {
        for (String line : List.of("nodes;c-0,c-0;every 1h;3;", "nodes;c-0,,c-1;every 1h;3;", "nodes;app=;every 1h;3;")) {
            assertThatThrownBy(() -> ScheduleLines.parse(List.of(line))).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("snapshots.schedules line '" + line + "'");
        }
    }
}
