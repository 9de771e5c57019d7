package io.snapci.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.datastax.oss.driver.api.core.type.DataTypes;
import io.snapci.executor.mask.ValueMasker;
import io.snapci.model.mask.MaskHash;
import io.snapci.model.mask.MaskRules;
import io.snapci.scheduler.local.storage.DirectoryFingerprint;
import io.snapci.tests.api.ApiClient;
import io.snapci.tests.mask.CopyInspection;
import io.snapci.tests.mask.NeedleScan;
import io.snapci.tests.mask.PiiGuestbook;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.Snapci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guestbook's production data with people in it ({@link PiiGuestbook}) as a Portworx volume the operator requires
 * masking for, through the whole cluster path: serve in mesos mode refuses a run without the rule set, and a run that
 * names it gets a clone whose cassandra task (snapci's node launcher from the real executor bundle, on the executing
 * agent) masks the copy before the node listens where the tests connect. The tests task then finds no original value
 * in CQL nor in any file of its clone, and the guestbook's tests still fail on Zoë's quote. No original reaches the
 * sandboxes' logs; production is unchanged; the clone and snapshot are gone. The masking is keyed with the service's
 * key, from the cluster's secret store (masking.hashKeySecret): the same masked values as every other run, and the key
 * itself in no sandbox file.
 */
class ClusterMaskingStoryTest {

    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final String HASH_KEY = "the-services-masking-key-0123456789";

    private static String maskedWithTheServicesKey(String email) {
        return (String) new ValueMasker(MaskHash.ofSecret(HASH_KEY)).mask(
                MaskRules.parse("guestbook.entries.author_email: email").rules().get(0), DataTypes.TEXT, email);
    }

    @TempDir
    Path dir;

    @Test
    void aRequiredRuleSetMasksTheCloneInItsCassandraTaskBeforeAnyTestSeesIt() throws Exception {
        PiiGuestbook production = PiiGuestbook.get();
        Path guestbookData = production.home().resolve("data").resolve("guestbook");
        Path crmData = production.home().resolve("data").resolve("crm");
        DirectoryFingerprint guestbookBefore = DirectoryFingerprint.of(guestbookData);
        DirectoryFingerprint crmBefore = DirectoryFingerprint.of(crmData);
        try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 1)) {
            String volume = cluster.addProductionVolume("guestbook-prod", production.home());
            String volumeBefore = cluster.portworx().stateOf(volume);
            cluster.putSecret("snapci/mask-key", HASH_KEY);
            ApiClient ci = new ApiClient(cluster.serve(Map.of(
                    "SNAPCI_MASKING_RULE_SETS", "[pii]\n" + PiiGuestbook.RULES,
                    "SNAPCI_MASKING_REQUIRED", "guestbook-prod=pii",
                    "SNAPCI_MASKING_HASH_KEY_SECRET", "snapci/mask-key")).baseUri(), LocalCluster.TOKEN);
            cluster.master().awaitSubscribed(Duration.ofSeconds(30));

            Path report = dir.resolve("inspection.txt");
            // The classpath is longer than a run's test command may be: the command runs a script that has it.
            Path script = Files.writeString(dir.resolve("inspect-then-test.sh"), "'" + Snapci.javaBinary()
                    + "' -cp '" + Snapci.testClasspath() + "' " + CopyInspection.class.getName() + " '"
                    + dir.resolve("cluster").resolve("portworx") + "' '" + production.originalsFile(dir) + "' '"
                    + report + "' && exec mvn -B -q test\n");
            String unmasked = "{\"source\":{\"volume\":\"guestbook-prod\"},\"testCommand\":"
                    + ApiClient.JSON.writeValueAsString("sh '" + script + "'") + ",\"testImage\":\""
                    + LocalCluster.GUESTBOOK_IMAGE + "\",\"junitGlob\":\"target/surefire-reports/*.xml\"";
            ApiClient.Reply refused = ci.post("v1/runs", unmasked + "}");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).isEqualTo("mask");

            ApiClient.Reply reply = ci.post("v1/runs", unmasked + ",\"mask\":{\"ruleSet\":\"pii\"}}");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            String runId = reply.json().path("id").asText();
            JsonNode run = ci.runOnceCleanedUp(runId, WAIT);
            String node = ci.get("v1/runs/" + runId + "/logs?task=cassandra").body();
            String tests = ci.get("v1/runs/" + runId + "/logs?task=tests").body();
            String nodeErrors = ci.get("v1/runs/" + runId + "/logs?task=cassandra&stream=stderr").body();

            assertThat(run.path("phase").asText()).as(run + "\n" + tests + "\n" + node + "\n" + nodeErrors).isEqualTo("FAILED");
            assertThat(node).as("the node task masked the copy before the node listened for the tests")
                    .contains("MASKING", "masked crm.customers", "compacting", "copy masked")
                    .containsSubsequence("booting the copy on 127.0.0.2", "copy masked",
                            "Cassandra answers CQL at 127.0.0.1");
            // The scheduler read the MASKING phase off the node's output on the agent (its /files/read).
            assertThat(run.path("history").findValuesAsText("phase")).as(run.toString())
                    .containsSubsequence("STARTING_CASSANDRA", "MASKING", "TESTING", "FAILED");
            List<String> inspection = Files.readAllLines(report, StandardCharsets.UTF_8);
            CopyInspection.assertMasked(inspection);
            // Masked with the service's key from the secret store: the value every run, local or cluster, gives it.
            assertThat(inspection).contains("ENTRY-EMAIL " + maskedWithTheServicesKey(PiiGuestbook.SHARED_EMAIL));
            // Zoë's entry, masked with its ë and quotes kept (the inspection saw them), still breaks the JSON.
            assertThat(run.path("message").asText()).as("the guestbook's tests fail on Zoë's quote")
                    .contains("returned invalid JSON", PiiGuestbook.SHARED_ENTRY.toString());
            assertThat(run.path("cleanedUp").asBoolean()).as(run.toString()).isTrue();
            assertThat(production.foundUnder(dir.resolve("cluster").resolve("agents")))
                    .as("originals in the sandboxes").isEmpty();
            assertThat(new NeedleScan(List.of(HASH_KEY)).foundUnder(dir.resolve("cluster").resolve("agents")))
                    .as("the key in the sandboxes").isEmpty();
            assertThat(cluster.portworx().volumeIds()).as("the clone and snapshot are gone").containsExactly(volume);
            assertThat(cluster.portworx().stateOf(volume)).isEqualTo(volumeBefore);
        }
        assertThat(DirectoryFingerprint.of(guestbookData).differencesFrom(guestbookBefore)).isEmpty();
        assertThat(DirectoryFingerprint.of(crmData).differencesFrom(crmBefore)).isEmpty();
        assertThat(LeftoverProcesses.mentioning(dir)).as("processes left").isEmpty();
    }
}
