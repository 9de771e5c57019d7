package io.snapci.executor.cassandra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void theTailStartsAtTheLastErrorWhenALongStackTraceFollowsIt() throws Exception {
        List<String> log = new ArrayList<>();
        log.add("INFO  [main] 2026-12-03 08:00:00,000 starting");
        log.add("ERROR [main] 2026-12-03 08:00:01,000 CassandraDaemon.java:1 - Exception encountered during startup");
        for (int i = 0; i < 60; i++) {
            log.add("\tat org.apache.cassandra.Frame" + i);
        }
        Path file = Files.write(dir.resolve("system.log"), log);

        List<String> tail = LogTail.fromLastError(file, 25, 40);

        assertThat(tail).hasSize(40);
        assertThat(tail.get(0)).contains("Exception encountered during startup");
    }

    @Test
    void withoutAnErrorOrWithItInTheLastLinesItIsThePlainTail() throws Exception {
        List<String> log = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            log.add("INFO  [main] line " + i);
        }
        Path file = Files.write(dir.resolve("system.log"), log);
        assertThat(LogTail.fromLastError(file, 25, 40)).isEqualTo(log.subList(25, 50));

        log.add("ERROR [main] the reason");
        log.add("INFO  [main] shutting down");
        Files.write(file, log);
        assertThat(LogTail.fromLastError(file, 25, 40)).isEqualTo(log.subList(27, 52));
    }

    @Test
    void aMissingLogIsNoLines() {
        assertThat(LogTail.fromLastError(dir.resolve("nope.log"), 25, 40)).isEmpty();
    }
}
