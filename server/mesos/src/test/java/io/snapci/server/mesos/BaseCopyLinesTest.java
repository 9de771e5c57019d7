package io.snapci.server.mesos;

import io.snapci.scheduler.portworx.BaseCopySchedule;
import io.snapci.server.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BaseCopyLinesTest {

    @Test
    void aLineIsNameVolumeIntervalAndHowManyToKeep() {
        assertThat(BaseCopyLines.parse(List.of("shop; cassandra-prod; every 6h; 2")))
                .containsExactly(new BaseCopySchedule("shop", "cassandra-prod", Duration.ofHours(6), 2));
    }

    @Test
    void malformedLinesAreRefusedWithTheLine() {
        for (String line : List.of("shop;cassandra-prod;6h;2", "shop;cassandra-prod;every soon;2",
                "shop;cassandra-prod;every 6h;two", "shop;cassandra-prod;every 6h;0", "Shop!;v;every 1h;1")) {
            assertThatThrownBy(() -> BaseCopyLines.parse(List.of(line))).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("portworx.baseCopies line '" + line + "'");
        }
        assertThatThrownBy(() -> BaseCopyLines.parse(List.of("a;v;every 1h;1", "a;w;every 1h;1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("its own name");
    }
}
