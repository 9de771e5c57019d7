package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator requires masking for a source: a run without the rule set's rules, or with one of them weakened, is
 * refused with a 400 naming the set; a run that carries them (and more) is accepted and masks before its tests.
 */
class ApiMaskingPolicyTest {

    @TempDir
    Path dir;

    @Test
    void aRunWithoutTheRequiredRulesIsRefusedAndOneWithThemIsAccepted() throws Exception {
        Path source = productionWithoutTheSetsTables();
        try (LocalServe server = serveRequiringPii(source, Map.of())) {
            ApiClient api = ApiClient.of(server);

            ApiClient.Reply bare = api.post("v1/runs", spec(source, null));
            assertThat(bare.status()).as(bare.toString()).isEqualTo(400);
            assertThat(bare.json().get("field").asText()).isEqualTo("mask");
            assertThat(bare.json().get("message").asText()).contains("rule set 'pii'")
                    .contains("shop.users.email: email").contains("shop.users.phone: phone");
            // The refusal is audited with who and which set, never with the rules the message quotes.
            JsonNode refusal = api.get("v1/audit").json().get("entries").get(0);
            assertThat(refusal.get("action").asText()).isEqualTo("RUN_REFUSED");
            assertThat(refusal.get("outcome").asText()).isEqualTo("REFUSED");
            assertThat(refusal.get("sources").get(0).asText()).isEqualTo(source.toString());
            assertThat(refusal.get("detail").asText())
                    .isEqualTo("400 on mask; the source requires the rule set 'pii'");

            ApiClient.Reply weakened = api.post("v1/runs", spec(source, """
                    {"rules": [{"keyspace": "shop", "table": "users", "column": "email", "transform": "email"},
                               {"keyspace": "shop", "table": "users", "column": "phone", "transform": "redact",
                                "argument": "0"}]}"""));
            assertThat(weakened.status()).as(weakened.toString()).isEqualTo(400);
            assertThat(weakened.json().get("message").asText()).contains("'pii'").contains("shop.users.phone: phone")
                    .doesNotContain("shop.users.email");

            ApiClient.Reply accepted = api.post("v1/runs", spec(source, """
                    {"rules": [{"keyspace": "shop", "table": "users", "column": "email", "transform": "email"},
                               {"keyspace": "shop", "table": "users", "column": "phone", "transform": "phone"},
                               {"keyspace": "shop", "table": "users", "column": "name", "transform": "name"}]}"""));
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
            JsonNode run = awaitEnd(api, accepted.json().get("id").asText());
            // The source holds no shop.users: masking fails, and the run ends ERROR without ever testing.
            assertThat(run.get("phase").asText()).isEqualTo("ERROR");
            assertThat(run.get("message").asText()).contains("shop.users does not exist");
            assertThat(run.get("history").toString()).contains("MASKING").doesNotContain("TESTING");
        }
    }

    @Test
    void aRunThatNamesTheRuleSetIsMaskedByEveryRuleOfItAndTheAuditLogNamesIt() throws Exception {
        Path source = productionWithoutTheSetsTables();
        try (LocalServe server = serveRequiringPii(source, Map.of("light.rules", "shop.users.email: hash\n"))) {
            ApiClient api = ApiClient.of(server);

            ApiClient.Reply unknown = api.post("v1/runs", spec(source, "{\"ruleSet\": \"gdpr\"}"));
            assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
            assertThat(unknown.json().get("field").asText()).isEqualTo("mask.ruleSet");
            assertThat(unknown.json().get("message").asText())
                    .isEqualTo("there is no masking rule set 'gdpr' (known: light, pii)");

            // Another set than the one the source requires does not satisfy the policy.
            ApiClient.Reply other = api.post("v1/runs", spec(source, "{\"ruleSet\": \"light\"}"));
            assertThat(other.status()).as(other.toString()).isEqualTo(400);
            assertThat(other.json().get("message").asText()).contains("rule set 'pii'");

            // Restating a column of the set with a weaker transform cannot replace the set's rule.
            ApiClient.Reply restated = api.post("v1/runs", spec(source, """
                    {"ruleSet": "pii", "rules": [{"keyspace": "shop", "table": "users", "column": "phone",
                     "transform": "redact", "argument": "0"}]}"""));
            assertThat(restated.status()).as(restated.toString()).isEqualTo(400);
            assertThat(restated.json().get("message").asText()).isEqualTo("the rule set 'pii' masks "
                    + "shop.users.phone: phone; the run's own rule shop.users.phone: redact(0) would replace it: "
                    + "leave it out");

            ApiClient.Reply accepted = api.post("v1/runs", spec(source, """
                    {"ruleSet": "pii", "rules": [{"keyspace": "shop", "table": "users", "column": "name",
                     "transform": "name"}]}"""));
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
            JsonNode mask = accepted.json().get("spec").get("mask");
            assertThat(mask.get("ruleSet").asText()).isEqualTo("pii");
            assertThat(mask.get("rules").findValuesAsText("column")).containsExactly("email", "phone", "name");
            JsonNode run = awaitEnd(api, accepted.json().get("id").asText());
            assertThat(run.get("history").toString()).contains("MASKING").doesNotContain("TESTING");

            JsonNode entries = api.get("v1/audit").json().get("entries");
            JsonNode submitted = null;
            for (JsonNode entry : entries) {
                if (entry.get("action").asText().equals("RUN_SUBMITTED")) {
                    submitted = entry;
                }
            }
            assertThat(submitted).as(entries.toString()).isNotNull();
            assertThat(submitted.get("masking").get("ruleSet").asText()).isEqualTo("pii");
            assertThat(submitted.get("masking").get("ruleCount").asInt()).isEqualTo(3);
        }
    }

    /** A node's layout with no table of the rule set in it: enough to copy and boot on. */
    private Path productionWithoutTheSetsTables() throws java.io.IOException {
        Path source = Files.createDirectories(dir.resolve("production"));
        Files.createDirectories(source.resolve("system/local-7ad54392bcdd35a684174e047860b377"));
        Files.createDirectories(source.resolve("system_schema/keyspaces-abac5682dea631c5b535b3d6cffd0fb6"));
        return source;
    }

    /** serve with the rule set pii (and {@code moreSets}, file name → rules) that {@code source} requires. */
    private LocalServe serveRequiringPii(Path source, Map<String, String> moreSets) throws java.io.IOException {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("pii.rules"), "shop.users.email: email\nshop.users.phone: phone\n");
        for (Map.Entry<String, String> set : moreSets.entrySet()) {
            Files.writeString(rules.resolve(set.getKey()), set.getValue());
        }
        return LocalServe.start(dir, Map.of("masking.rulesDir", rules.toString(), "masking.required", source + "=pii"));
    }

    private static String spec(Path source, String mask) {
        return "{\"source\": {\"dataDir\": \"" + source + "\"}, \"testCommand\": \"true\""
                + (mask == null ? "" : ", \"mask\": " + mask) + "}";
    }

    private static JsonNode awaitEnd(ApiClient api, String id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = api.get("v1/runs/" + id).json();
            if (run.get("cleanedUp").asBoolean() && Map.of("PASSED", 1, "FAILED", 1, "ERROR", 1, "CANCELLED", 1)
                    .containsKey(run.get("phase").asText())) {
                return run;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + id + " did not end");
    }
}
