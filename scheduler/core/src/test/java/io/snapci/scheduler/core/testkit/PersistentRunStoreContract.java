package io.snapci.scheduler.core.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.model.Phase;
import io.snapci.model.Placement;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.state.SchemaVersion;
import io.snapci.scheduler.core.state.StoredRecords;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a store that outlives the process does on top of {@link RunStoreContract}: its records carry their schema
 * version, and a rollback reads what a newer snapci wrote. The records here are written the way a newer snapci
 * would write them, bytes straight into the store's own place, then read and resumed by this one.
 */
public abstract class PersistentRunStoreContract extends RunStoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes {@code json} where the store that {@link #store()} last returned keeps run {@code runId}'s record. */
    protected abstract void writeRecord(String runId, byte[] json) throws Exception;

    /** The bytes of run {@code runId}'s record in the store that {@link #store()} last returned. */
    protected abstract byte[] readRecord(String runId) throws Exception;

    /** A run whose tests were running on an agent when the scheduler stopped. */
    private static RunStatus placedAndTesting(String id) {
        Instant at = MORNING;
        return queuedRun(id, at).withPhase(Phase.SNAPSHOTTING, "copying /data", at)
                .withClone("clone-" + id, "copied").withPhase(Phase.PLACING, "placing", at.plusSeconds(1))
                .withPlacement(new Placement("a1", "ci-agent-1", 1))
                .withPhase(Phase.STARTING_CASSANDRA, "booting", at.plusSeconds(2))
                .withPhase(Phase.TESTING, "testing", at.plusSeconds(9));
    }

    /** The record as this snapci writes it, as a tree to change the way a newer version would. */
    private static ObjectNode recordOf(RunStatus run) throws Exception {
        return (ObjectNode) JSON.readTree(StoredRecords.write(run));
    }

    private static SchemaVersion nextMinor() {
        return new SchemaVersion(StoredRecords.CURRENT.major(), StoredRecords.CURRENT.minor() + 1);
    }

    @Test
    void recordsCarryTheCurrentSchemaVersionFirst() throws Exception {
        RunStore store = store();
        RunStatus run = nth(0);
        store.save(run);
        JsonNode record = JSON.readTree(readRecord(run.id()));
        assertThat(record.fieldNames().next()).isEqualTo(StoredRecords.VERSION_FIELD);
        assertThat(record.get(StoredRecords.VERSION_FIELD).asText()).isEqualTo(StoredRecords.CURRENT.toString());
    }

    @Test
    void aRunWrittenByANewerMinorVersionIsReadAndResumed() throws Exception {
        RunStore store = store();
        RunStatus testing = placedAndTesting("r20261125-060000-0a0a");
        ObjectNode newer = recordOf(testing);
        newer.put(StoredRecords.VERSION_FIELD, nextMinor().toString());
        newer.putObject("fieldFromTheFuture").put("retries", 2).putArray("zones").add("eu-1");
        ((ObjectNode) newer.get("spec")).put("priority", "high");
        ((ObjectNode) newer.get("placement")).put("rack", "r7");
        ((ObjectNode) newer.get("history").get(0)).put("byUser", "ci");
        writeRecord(testing.id(), JSON.writeValueAsBytes(newer));

        assertThat(store.find(testing.id())).contains(testing);
        assertThat(store.list()).containsExactly(testing);
        assertThat(store.page(null, 10, r -> true).runs()).containsExactly(testing);

        TakenOverRun cluster = new TakenOverRun(testing.id(), testing.cloneId());
        RunService restarted = new RunService(cluster.driver(), cluster.launcher(), store,
                Clock.fixed(MORNING.plusSeconds(60), ZoneOffset.UTC));
        assertThat(restarted.resume()).containsExactly(testing.id());
        RunStatus resumed = restarted.execute(testing.id());

        assertThat(resumed.phase()).isEqualTo(Phase.PASSED);
        assertThat(resumed.cleanedUp()).isTrue();
        assertThat(cluster.adopted()).containsExactly(testing.id());
        assertThat(cluster.liveClones()).isEmpty();
        assertThat(store.find(testing.id())).contains(resumed);
        // Saved back by this version: what it did not know is gone, and the record says which version wrote it.
        JsonNode saved = JSON.readTree(readRecord(testing.id()));
        assertThat(saved.get(StoredRecords.VERSION_FIELD).asText()).isEqualTo(StoredRecords.CURRENT.toString());
        assertThat(saved.has("fieldFromTheFuture")).isFalse();
    }

    @Test
    void aRecordFromBeforeRecordsCarriedAVersionIsRead() throws Exception {
        RunStore store = store();
        RunStatus run = ended(nth(0), Phase.PASSED);
        ObjectNode unversioned = recordOf(run);
        unversioned.remove(StoredRecords.VERSION_FIELD);
        writeRecord(run.id(), JSON.writeValueAsBytes(unversioned));

        assertThat(store.find(run.id())).contains(run);
        assertThat(store.list()).containsExactly(run);
    }

    @Test
    void aRecordOfANewerMajorVersionIsLeftExactlyAsItIs() throws Exception {
        RunStore store = store();
        RunStatus readable = ended(nth(1), Phase.PASSED);
        store.save(readable);
        RunStatus fromTheFuture = placedAndTesting(nth(0).id());
        ObjectNode newer = recordOf(fromTheFuture);
        newer.put(StoredRecords.VERSION_FIELD, (StoredRecords.CURRENT.major() + 1) + ".0");
        newer.put("phase", "WAITING_FOR_QUOTA");   // a new phase: why the major version went up
        byte[] written = JSON.writeValueAsBytes(newer);
        writeRecord(fromTheFuture.id(), written);

        assertThat(store.list()).containsExactly(readable);
        assertThat(store.page(null, 10, r -> true).runs()).containsExactly(readable);
        assertThatThrownBy(() -> store.find(fromTheFuture.id()))
                .hasMessageContaining("written by a newer snapci")
                .hasMessageContaining("upgrade snapci");
        assertThatThrownBy(() -> store.delete(fromTheFuture.id())).hasMessageContaining("written by a newer snapci");

        TakenOverRun cluster = new TakenOverRun(fromTheFuture.id(), fromTheFuture.cloneId());
        RunService restarted = new RunService(cluster.driver(), cluster.launcher(), store, Clock.systemUTC());
        assertThat(restarted.resume()).as("nothing to take over that this version can read").isEmpty();
        assertThat(cluster.liveClones()).hasSize(1);
        assertThat(readRecord(fromTheFuture.id())).isEqualTo(written);
    }
}
