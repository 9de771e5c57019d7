package io.snapci.scheduler.zookeeper;

import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.ScheduleState;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.scheduler.core.state.StoredRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ZkScheduleStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");
    @RegisterExtension
    static final ZkTestServer zk = ZkTestServer.perClass();

    private static SnapshotSchedule nightly() {
        return SnapshotSchedule.cron("nightly", "cassandra-prod", "0 3 * * *", new Retention(7, null));
    }

    @Test
    void aClusterSchedulesVolumesOrSelectorAndItsLastCutSurviveARestart() {
        ZkScheduleStore first = new ZkScheduleStore(zk.connect());
        SnapshotSchedule nodes = SnapshotSchedule.every("nodes", "cassandra-0,cassandra-1,cassandra-2",
                Duration.ofHours(1), new Retention(3, null));
        SnapshotSchedule shop = SnapshotSchedule.cron("shop", "app=cassandra-shop", "0 2 * * *",
                new Retention(null, Duration.ofDays(2)));
        first.save(new ScheduleState(nodes, T0, T0, "snapci-sched-nodes-" + T0.getEpochSecond(), null));
        first.save(new ScheduleState(shop, T0, null, null, null));

        ZkScheduleStore restarted = new ZkScheduleStore(zk.connect());
        ScheduleState readNodes = restarted.list().stream().filter(s -> s.schedule().name().equals("nodes"))
                .findFirst().orElseThrow();
        assertThat(readNodes.schedule()).isEqualTo(nodes);
        assertThat(readNodes.schedule().source().volumes()).containsExactly("cassandra-0", "cassandra-1",
                "cassandra-2");
        assertThat(readNodes.lastSnapshot()).isEqualTo("snapci-sched-nodes-" + T0.getEpochSecond());
        assertThat(restarted.list()).anySatisfy(s -> assertThat(s.schedule().source().volumesSelector())
                .isEqualTo("app=cassandra-shop"));
        restarted.delete("nodes");
        restarted.delete("shop");
    }

    @Test
    void aRestartedSchedulerFindsEachScheduleWithItsLastTick() {
        ZkScheduleStore first = new ZkScheduleStore(zk.connect());
        assertThat(first.list()).isEmpty();
        first.save(new ScheduleState(SnapshotSchedule.every("hourly", "cassandra-prod", Duration.ofHours(1),
                new Retention(null, Duration.ofDays(1))), T0, null, null, null));
        first.save(new ScheduleState(nightly(), T0, null, null, null));
        first.save(new ScheduleState(nightly(), T0, T0.plus(Duration.ofDays(1)), "snap-nightly-1", null));

        ZkScheduleStore restarted = new ZkScheduleStore(zk.connect());
        assertThat(restarted.list()).extracting(s -> s.schedule().name()).containsExactly("hourly", "nightly");
        assertThat(restarted.list().get(1).lastTick()).isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(restarted.list().get(1).lastSnapshot()).isEqualTo("snap-nightly-1");

        restarted.delete("hourly");
        restarted.delete("hourly");   // deleting what is gone is what was asked
        assertThat(first.list()).extracting(s -> s.schedule().name()).containsExactly("nightly");
    }

    @Test
    void schedulesAreVersionedRecordsAndAReaderReadsPastWhatANewerMinorVersionAdded() throws Exception {
        ZkScheduleStore store = new ZkScheduleStore(zk.connect());
        ScheduleState nightly = new ScheduleState(nightly(), T0, T0.plus(Duration.ofDays(1)), "snap-nightly-1", null);
        store.save(nightly);
        String path = zk.url().root() + "/schedules/nightly";
        String saved = new String(zk.connect().curator().getData().forPath(path), StandardCharsets.UTF_8);
        assertThat(saved).startsWith("{\"schemaVersion\":\"" + StoredRecords.CURRENT + "\",");

        String newer = saved.replace("\"schemaVersion\":\"" + StoredRecords.CURRENT + "\"", "\"schemaVersion\":\""
                + StoredRecords.CURRENT.major() + "." + (StoredRecords.CURRENT.minor() + 1) + "\",\"owner\":\"team-a\"")
                .replace("\"cron\":", "\"jitter\":\"PT5M\",\"cron\":");
        assertThat(newer).contains("\"owner\"", "\"jitter\"");
        zk.connect().curator().setData().forPath(path, newer.getBytes(StandardCharsets.UTF_8));

        assertThat(new ZkScheduleStore(zk.connect()).list()).containsExactly(nightly);
    }

    @Test
    void aScheduleOfANewerMajorVersionIsLeftOutAndTheOthersStillListed() throws Exception {
        ZkScheduleStore store = new ZkScheduleStore(zk.connect());
        ScheduleState nightly = new ScheduleState(nightly(), T0, null, null, null);
        store.save(nightly);
        zk.connect().curator().create().forPath(zk.url().root() + "/schedules/hourly", ("{\"schemaVersion\":\""
                + (StoredRecords.CURRENT.major() + 1) + ".0\",\"schedule\":{\"name\":\"hourly\",\"calendar\":"
                + "\"@hourly\"}}").getBytes(StandardCharsets.UTF_8));

        assertThat(store.list()).containsExactly(nightly);
    }
}
