package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import org.junit.jupiter.params.provider.Arguments;

/** universe/config.json: a valid schema, documented and defaulted throughout, that keeps bad installs out. */
class ConfigJsonTest {

    private final JsonNode config = UniverseFiles.checkout().config();

    @Test
    void isAValidDraft4JsonSchemaOfTheShapeUniverseAsksFor() {
        assertThat(Rules.JSON_SCHEMA_DRAFT_4.violations(config)).isEmpty();
        assertThat(Rules.UNIVERSE_CONFIG.violations(config)).isEmpty();
    }

    @Test
    void everyOptionHasADescriptionAndADefault() {
        Map<String, JsonNode> options = ConfigOptions.leaves(config);
        assertThat(options).hasSizeGreaterThan(30);
        options.forEach((path, schema) -> {
            assertThat(schema.path("description").asText()).as(path + " description").isNotBlank();
            assertThat(schema.has("default")).as(path + " has a default").isTrue();
        });
        config.path("properties").fields().forEachRemaining(section ->
                assertThat(section.getValue().path("description").asText()).as(section.getKey()).isNotBlank());
    }

    @Test
    void theNameAndUserAreRequiredAndTheUiGetsMediaHintsForSecretsAccountsAndRegions() {
        JsonNode service = config.at("/properties/service");
        assertThat(service.path("required")).isEqualTo(Documents.parse("[\"name\", \"user\"]"));
        assertThat(Rules.draft4(service).violations(Documents.parse("{\"user\": \"nobody\"}"))).isNotEmpty();
        Map<String, JsonNode> options = ConfigOptions.leaves(config);
        List<String> secrets = options.keySet().stream().filter(o -> o.endsWith("_secret")).toList();
        // masking.hash_key_secret is named to the agents, not mounted into the scheduler: the UI's picker all the same
        assertThat(secrets).hasSize(6);
        secrets.forEach(o -> assertThat(options.get(o).at("/media/type").asText()).as(o)
                .isEqualTo("application/x-secret+string"));
        assertThat(options.get("service.service_account").at("/media/type").asText())
                .isEqualTo("application/x-service-account+string");
        assertThat(options.get("service.region").at("/media/type").asText()).isEqualTo("application/x-region+string");
    }

    @Test
    void theDefaultsSatisfyTheSchema() {
        ObjectNode defaults = CosmosRenderer.defaults(config);
        assertThat(defaults.path("service").path("name").asText()).isEqualTo("snapci");
        assertThat(Rules.draft4(config).violations(defaults)).isEmpty();
    }

    @Test
    void aConfigThatChangesEveryOptionToAnotherValidValueIsAccepted() {
        assertThat(Rules.draft4(config).violations(CosmosRenderer.defaults(config))).isEmpty();
        ObjectNode changed = new UniverseFiles(null, null, config, "").renderer().options(EveryOption.changed());
        assertThat(Rules.draft4(config).violations(changed)).isEmpty();
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                arguments("upper-case service name", "{\"service\": {\"name\": \"SnapCI\"}}", "service.name"),
                arguments("service name ending in a dash", "{\"service\": {\"name\": \"snapci-\"}}", "service.name"),
                arguments("scheduler without cpus", "{\"service\": {\"cpus\": 0}}", "service.cpus"),
                arguments("memory as a string", "{\"service\": {\"mem\": \"1024\"}}", "service.mem"),
                arguments("too little scheduler memory", "{\"service\": {\"mem\": 256}}", "service.mem"),
                arguments("fractional memory", "{\"service\": {\"mem\": 1024.5}}", "service.mem"),
                arguments("an option nobody knows", "{\"service\": {\"nmae\": \"x\"}}", "service"),
                arguments("a section nobody knows", "{\"kafka\": {}}", "$"),
                arguments("master without a scheme", "{\"service\": {\"mesos_master\": \"leader.mesos:5050\"}}", "service.mesos_master"),
                arguments("constraints as a JSON string", "{\"service\": {\"constraints\": \"[[\\\"hostname\\\", \\\"UNIQUE\\\"]]\"}}", "service.constraints"),
                arguments("a constraint that is not a list", "{\"service\": {\"constraints\": [\"hostname\", \"UNIQUE\"]}}", "service.constraints[0]"),
                arguments("a constraint without an operator", "{\"service\": {\"constraints\": [[\"hostname\"]]}}", "service.constraints[0]"),
                arguments("a constraint with four parts", "{\"service\": {\"constraints\": [[\"a\", \"LIKE\", \"b\", \"c\"]]}}", "service.constraints[0]"),
                arguments("an operator Marathon does not have", "{\"service\": {\"constraints\": [[\"hostname\", \"SOMEWHERE\"]]}}", "service.constraints[0][1]"),
                arguments("a constraint value that is a number", "{\"service\": {\"constraints\": [[\"rack\", \"MAX_PER\", 2]]}}", "service.constraints[0][2]"),
                arguments("a constraint on an empty field", "{\"service\": {\"constraints\": [[\"\", \"UNIQUE\"]]}}", "service.constraints[0][0]"),
                arguments("the same constraint twice", "{\"service\": {\"constraints\": [[\"hostname\", \"UNIQUE\"], [\"hostname\", \"UNIQUE\"]]}}", "service.constraints"),
                arguments("a region with a space", "{\"service\": {\"region\": \"us east\"}}", "service.region"),
                arguments("a service account that is a path", "{\"service\": {\"service_account\": \"ci/snapci\"}}", "service.service_account"),
                arguments("secret path with spaces", "{\"service\": {\"service_account_secret\": \"my secret\"}}", "service.service_account_secret"),
                arguments("zookeeper root without a slash", "{\"zookeeper\": {\"root\": \"snapci\"}}", "zookeeper.root"),
                arguments("zookeeper without a port", "{\"zookeeper\": {\"servers\": \"master.mesos\"}}", "zookeeper.servers"),
                arguments("Portworx endpoint without a scheme", "{\"portworx\": {\"sdk_endpoint\": \"px:9021\"}}", "portworx.sdk_endpoint"),
                arguments("volume API with a path", "{\"portworx\": {\"volume_api\": \"http://px:9001/v1/osd-snapshot\"}}", "portworx.volume_api"),
                arguments("class of service Portworx does not have", "{\"portworx\": {\"clone_cos\": \"FAST\"}}", "portworx.clone_cos"),
                arguments("node labels that are not key=value", "{\"portworx\": {\"ci_node_labels\": \"ci\"}}", "portworx.ci_node_labels"),
                arguments("GC grace in words", "{\"portworx\": {\"gc_grace\": \"one hour\"}}", "portworx.gc_grace"),
                arguments("tier attribute without a value", "{\"placement\": {\"ci_tier_attribute\": \"tier\"}}", "placement.ci_tier_attribute"),
                arguments("Cassandra image with spaces", "{\"cassandra\": {\"image\": \"cassandra 5\"}}", "cassandra.image"),
                arguments("a task user that is no user name", "{\"cassandra\": {\"task_user\": \"Root User\"}}", "cassandra.task_user"),
                arguments("Cassandra below 1 GB", "{\"cassandra\": {\"mem\": 512}}", "cassandra.mem"),
                arguments("tests without memory", "{\"tests\": {\"mem\": 0}}", "tests.mem"),
                arguments("no run at a time", "{\"runs\": {\"max_concurrent\": 0}}", "runs.max_concurrent"),
                arguments("more concurrent runs than serve allows", "{\"runs\": {\"max_concurrent\": 65}}", "runs.max_concurrent"),
                arguments("timeout without a unit", "{\"runs\": {\"test_timeout\": \"30\"}}", "runs.test_timeout"),
                arguments("schedule with neither interval nor cron",
                        "{\"snapshots\": {\"schedules\": [{\"name\": \"a\", \"source_volume\": \"v\", \"keep_last\": 3}]}}", "snapshots.schedules[0]"),
                arguments("schedule with both interval and cron",
                        "{\"snapshots\": {\"schedules\": [{\"name\": \"a\", \"source_volume\": \"v\", \"every\": \"1h\", \"cron\": \"0 3 * * *\", \"keep_last\": 3}]}}", "snapshots.schedules[0]"),
                arguments("schedule without retention",
                        "{\"snapshots\": {\"schedules\": [{\"name\": \"a\", \"source_volume\": \"v\", \"every\": \"1h\"}]}}", "snapshots.schedules[0]"),
                arguments("cron with four fields",
                        "{\"snapshots\": {\"schedules\": [{\"name\": \"a\", \"source_volume\": \"v\", \"cron\": \"0 3 * *\", \"keep_last\": 3}]}}", "snapshots.schedules[0].cron"),
                arguments("a cluster schedule with an empty node name",
                        "{\"snapshots\": {\"schedules\": [{\"name\": \"a\", \"source_volume\": \"c-0,,c-1\", \"every\": \"1h\", \"keep_last\": 3}]}}", "snapshots.schedules[0].source_volume"),
                arguments("a cluster schedule's selector without a value",
                        "{\"snapshots\": {\"schedules\": [{\"name\": \"a\", \"source_volume\": \"app=\", \"every\": \"1h\", \"keep_last\": 3}]}}", "snapshots.schedules[0].source_volume"),
                arguments("schedule name with a semicolon",
                        "{\"snapshots\": {\"schedules\": [{\"name\": \"a;b\", \"source_volume\": \"v\", \"every\": \"1h\", \"keep_last\": 3}]}}", "snapshots.schedules[0].name"),
                arguments("base copy without a number to keep",
                        "{\"portworx\": {\"base_copies\": [{\"name\": \"a\", \"source_volume\": \"v\", \"every\": \"6h\"}]}}", "portworx.base_copies[0]"),
                arguments("base copy name with a semicolon",
                        "{\"portworx\": {\"base_copies\": [{\"name\": \"a;b\", \"source_volume\": \"v\", \"every\": \"6h\", \"keep\": 1}]}}", "portworx.base_copies[0].name"),
                arguments("uids with spaces", "{\"api\": {\"dcos_allowed_uids\": \"alice, bob\"}}", "api.dcos_allowed_uids"),
                arguments("a rule set named by a path",
                        "{\"masking\": {\"rule_sets\": [{\"name\": \"../pii\", \"rules\": \"a.b.c: hash\"}]}}", "masking.rule_sets[0].name"),
                arguments("a rule set without rules",
                        "{\"masking\": {\"rule_sets\": [{\"name\": \"pii\"}]}}", "masking.rule_sets[0]"),
                arguments("a required source without its set", "{\"masking\": {\"required\": \"cassandra-shop\"}}", "masking.required"),
                arguments("audit kept for minutes", "{\"audit\": {\"retention\": \"30m\"}}", "audit.retention"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void rejects(String what, String userOptions, String where) {
        ObjectNode options = new UniverseFiles(null, null, config, "").renderer().options(Documents.parse(userOptions));
        List<String> problems = Rules.draft4(config).violations(options);
        assertThat(problems).as(what).isNotEmpty();
        assertThat(problems).as(what).anyMatch(p -> p.startsWith("$." + where + ":") || p.startsWith(where + ":")
                || ("$".equals(where) && p.startsWith("$:")));
    }
}
