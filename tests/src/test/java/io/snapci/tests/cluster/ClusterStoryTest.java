package io.snapci.tests.cluster;

import io.snapci.tests.support.LeftoverProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guestbook story through the whole cluster path ({@code ./snapci demo --cluster}): serve in mesos mode on a
 * real ZooKeeper, the Mesos master peer's executing agents running snapci's real executor bundle and the guestbook's
 * real Maven tests against a real Cassandra booted on a Portworx-peer clone of a running production node's data.
 */
class ClusterStoryTest {

    @TempDir
    Path dir;

    @Test
    void testsPassOnFixturesAndFailOnACloneOfProductionThroughOffersAndTaskGroupsAndProductionIsUnchanged()
            throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        PrintStream originalOut = System.out;
        try (PrintStream both = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                originalOut.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                originalOut.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8)) {
            System.setOut(both);
            exit = ClusterDemo.run(dir.resolve("demo"), 200, both);
        } finally {
            System.setOut(originalOut);
        }
        String output = captured.toString(StandardCharsets.UTF_8);

        assertThat(output)
                .contains("on fixtures: PASSED")
                .contains("on production data: FAILED")
                .contains("Zoë")
                .contains("placed on ci-1")
                .contains("identical before and after")
                .contains("production still answers with 201 entries")
                .contains("production only: the runs' snapshots and clones are gone")
                .contains("still running: 0")
                .contains("downloaded 1 time(s)")
                .contains("class-data archives on the CI agents: 1");
        assertThat(exit).as("the demo's own verdict").isZero();
        assertThat(LeftoverProcesses.mentioning(dir)).as("processes left").isEmpty();
    }
}
