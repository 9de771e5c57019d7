package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** universe/marathon.json.mustache rendered as Cosmos renders it: a valid app that carries every option. */
class MarathonTemplateTest {

    private final UniverseFiles universe = UniverseFiles.checkout();
    private final CosmosRenderer renderer = universe.renderer();

    private JsonNode render(JsonNode options) {
        return renderer.render(universe.marathonTemplate(), options);
    }

    @Test
    void withTheDefaultsItIsAValidMarathonApp() {
        JsonNode app = render(Documents.JSON.createObjectNode());
        assertThat(MarathonAppRules.violations(app)).isEmpty();
        assertThat(app.path("id").asText()).isEqualTo("/snapci");
        assertThat(app.path("instances").asInt()).isEqualTo(1);
        assertThat(app.path("secrets").size()).as("no secret unless one is configured").isZero();
        app.path("env").forEach(value -> assertThat(value.isTextual()).isTrue());
        assertThat(app.at("/env/SNAPCI_ZK_URL").asText()).as("the default root is the service's own")
                .isEqualTo("zk://master.mesos:2181/snapci/snapci");
        assertThat(app.at("/env/SNAPCI_SNAPSHOTS_SCHEDULES").asText()).isEmpty();
    }

    @Test
    void withEveryOptionChangedItIsAValidMarathonAppThatCarriesEachOptionToItsPlace() {
        JsonNode app = render(EveryOption.changed());
        assertThat(MarathonAppRules.violations(app)).isEmpty();
        JsonNode defaults = render(Documents.JSON.createObjectNode());
        for (EveryOption.Placement placement : EveryOption.placements()) {
            if (EveryOption.SHADOWED.containsKey(placement.option())) {
                continue;
            }
            assertThat(app.at(placement.pointer())).as(placement.option() + " at " + placement.pointer())
                    .isEqualTo(placement.expected());
            assertThat(defaults.at(placement.pointer())).as("the default differs at " + placement.pointer())
                    .isNotEqualTo(placement.expected());
        }
        assertThat(app.path("cmd").asText()).as("the heap follows service.mem").contains("-Xmx$((2048 * 3 / 5))m");
    }

    @Test
    void theMaskingAndAuditOptionsArriveAsServeReadsThem() {
        JsonNode env = render(EveryOption.changed()).path("env");
        java.util.Map<String, String> serveEnv = new java.util.HashMap<>();
        for (String name : List.of("SNAPCI_MASKING_RULE_SETS", "SNAPCI_MASKING_REQUIRED", "SNAPCI_AUDIT_RETENTION")) {
            serveEnv.put(name, env.path(name).asText());
        }
        serveEnv.put("SNAPCI_LOCAL_WORK_ROOT", System.getProperty("java.io.tmpdir") + "/snapci-template-test");
        io.snapci.server.config.ServeConfig config = io.snapci.server.config.ServeConfigLoader.load(null, serveEnv,
                java.util.Map.of());

        assertThat(config.masking().ruleSets()).containsOnlyKeys("pii", "crm");
        assertThat(config.masking().ruleSets().get("pii").describe())
                .containsExactly("shop.users.email: email", "shop.users.note: keep-chars(\"')");
        assertThat(config.masking().requiredFor(io.snapci.model.Source.volume("cassandra-shop"))).isEqualTo("pii");
        assertThat(config.masking().requiredFor(io.snapci.model.Source.volume("cassandra-orders"))).isEqualTo("crm");
        assertThat(config.retention().auditMaxAge()).isEqualTo(java.time.Duration.ofDays(30));
    }

    @Test
    void anOptionAnotherOneShadowsLandsWhenTheOtherIsLeftAtItsDefault() {
        assertThat(EveryOption.SHADOWED).isNotEmpty();
        EveryOption.SHADOWED.forEach((shadowed, shadowing) -> {
            JsonNode app = render(EveryOption.changedWithout(shadowing));
            assertThat(MarathonAppRules.violations(app)).isEmpty();
            for (EveryOption.Placement placement : EveryOption.placements()) {
                if (placement.option().equals(shadowed)) {
                    assertThat(app.at(placement.pointer())).as(shadowed + " at " + placement.pointer())
                            .isEqualTo(placement.expected());
                }
            }
        });
    }

    @Test
    void constraintsAndRegionPlaceTheSchedulerWhereTheInstallSays() {
        JsonNode none = render(Documents.JSON.createObjectNode());
        assertThat(none.path("constraints").isArray()).isTrue();
        assertThat(none.path("constraints").size()).as("no constraint by default: Marathon keeps it in the local region")
                .isZero();

        JsonNode pinned = render(Documents.parse("{\"service\": {\"constraints\": [[\"hostname\", \"CLUSTER\", \"10.0.1.7\"]]}}"));
        assertThat(MarathonAppRules.violations(pinned)).isEmpty();
        assertThat(pinned.path("constraints")).isEqualTo(Documents.parse("[[\"hostname\", \"CLUSTER\", \"10.0.1.7\"]]"));

        JsonNode region = render(Documents.parse("{\"service\": {\"region\": \"aws-us-east-1\"}}"));
        assertThat(MarathonAppRules.violations(region)).isEmpty();
        assertThat(region.path("constraints")).isEqualTo(Documents.parse("[[\"@region\", \"IS\", \"aws-us-east-1\"]]"));

        // A backslash (a LIKE regular expression) reaches Marathon as the same string: Cosmos escapes it for JSON.
        JsonNode both = render(Documents.parse("""
                {"service": {"region": "eu-1", "constraints": [["rack", "LIKE", "r[12]\\\\d"], ["hostname", "MAX_PER", "1"]]}}
                """));
        assertThat(MarathonAppRules.violations(both)).isEmpty();
        assertThat(both.path("constraints")).isEqualTo(Documents.parse("""
                [["@region", "IS", "eu-1"], ["rack", "LIKE", "r[12]\\\\d"], ["hostname", "MAX_PER", "1"]]
                """));
    }

    @Test
    void aJsonStringOfConstraintsWouldNotSurviveCosmosEscapingWhichIsWhyTheOptionIsAnArray() {
        // What a string option holding JSON would render to in the constraints' place: every quote escaped.
        String rendered = CosmosRenderer.renderText("{\"constraints\": {{c}}}",
                Documents.parse("{\"c\": \"[[\\\"hostname\\\", \\\"UNIQUE\\\"]]\"}"));
        assertThat(rendered).isEqualTo("{\"constraints\": [[\\\"hostname\\\", \\\"UNIQUE\\\"]]}");
        assertThatThrownBy(() -> Documents.parse(rendered)).isNotNull();
        assertThat(universe.config().at("/properties/service/properties/constraints/type").asText()).isEqualTo("array");
    }

    @Test
    void inClusterCiReachesTheApiThroughItsNamedVip() {
        assertThat(render(Documents.JSON.createObjectNode()).at("/portDefinitions/0/labels/VIP_0").asText())
                .isEqualTo("/snapci:80");
        JsonNode folder = render(Documents.parse("{\"service\": {\"name\": \"ci/snapci\"}}"));
        assertThat(folder.at("/portDefinitions/0/labels/VIP_0").asText()).isEqualTo("/ci/snapci:80");
        assertThat(MarathonAppRules.violations(folder)).isEmpty();
    }

    @Test
    void theServiceAccountIsThePrincipalTheFrameworkRegistersWith() {
        assertThat(render(Documents.JSON.createObjectNode()).at("/env/SNAPCI_MESOS_PRINCIPAL").asText()).isEqualTo("snapci");
        JsonNode app = render(Documents.parse("""
                {"service": {"service_account": "snapci-principal", "service_account_secret": "snapci/sa"}}
                """));
        assertThat(app.at("/env/SNAPCI_MESOS_PRINCIPAL").asText()).isEqualTo("snapci-principal");
    }

    @Test
    void theDefaultCassandraImageIsThePackagesOwnAsset() {
        String asset = universe.resource().at("/assets/container/docker/cassandra").asText();
        assertThat(asset).isEqualTo("cassandra:5.0");
        assertThat(render(Documents.JSON.createObjectNode()).at("/env/SNAPCI_CASSANDRA_IMAGE").asText()).isEqualTo(asset);
        assertThat(render(Documents.parse("{\"cassandra\": {\"image\": \"registry.example/cassandra:4.1\"}}"))
                .at("/env/SNAPCI_CASSANDRA_IMAGE").asText()).isEqualTo("registry.example/cassandra:4.1");
    }

    @Test
    void everyOptionOfConfigJsonIsChangedAndPlacedByTheTableAbove() {
        Set<String> options = ConfigOptions.leaves(universe.config()).keySet();
        Set<String> placed = EveryOption.placements().stream().map(EveryOption.Placement::option)
                .collect(Collectors.toSet());
        assertThat(placed).containsExactlyInAnyOrderElementsOf(options);
        ObjectNode everyChanged = EveryOption.changed();
        for (String option : options) {
            JsonNode value = everyChanged.at("/" + option.replace('.', '/'));
            assertThat(value.isMissingNode()).as(option + " is changed").isFalse();
            assertThat(value).as(option + " differs from its default")
                    .isNotEqualTo(ConfigOptions.leaves(universe.config()).get(option).get("default"));
        }
    }

    @Test
    void theSchedulerIsAHealthCheckedFrameworkThatNeverRunsTwice() {
        JsonNode app = render(Documents.JSON.createObjectNode());
        JsonNode check = app.path("healthChecks").get(0);
        assertThat(app.path("healthChecks").size()).isEqualTo(1);
        assertThat(check.path("protocol").asText()).isEqualTo("MESOS_HTTP");
        assertThat(check.path("path").asText()).isEqualTo("/v1/health");
        assertThat(check.path("portIndex").asInt()).isZero();
        assertThat(check.path("gracePeriodSeconds").asInt()).isPositive();
        assertThat(check.path("intervalSeconds").asInt()).isPositive();
        assertThat(check.path("timeoutSeconds").asInt()).isPositive().isLessThan(check.path("intervalSeconds").asInt());
        assertThat(check.path("maxConsecutiveFailures").asInt()).isPositive();
        // Stop the old scheduler before starting the new one: two would fight over the framework and the run store.
        assertThat(app.at("/upgradeStrategy/minimumHealthCapacity").asDouble()).isZero();
        assertThat(app.at("/upgradeStrategy/maximumOverCapacity").asDouble()).isZero();
        assertThat(app.at("/labels/MARATHON_SINGLE_INSTANCE_APP").asText()).isEqualTo("true");
        assertThat(app.at("/labels/DCOS_PACKAGE_FRAMEWORK_NAME").asText()).isEqualTo("snapci");
        assertThat(app.at("/labels/DCOS_SERVICE_NAME").asText()).isEqualTo("snapci");
        assertThat(app.at("/labels/DCOS_SERVICE_PORT_INDEX").asText()).isEqualTo("0");
        assertThat(app.at("/labels/DCOS_SERVICE_SCHEME").asText()).isEqualTo("http");
    }

    @Test
    void itFetchesTheSchedulerAndHandsTheExecutorBundleToTheRuns() {
        JsonNode app = render(Documents.JSON.createObjectNode());
        JsonNode uris = universe.resource().path("assets").path("uris");
        assertThat(app.path("fetch").size()).isEqualTo(1);
        JsonNode fetch = app.path("fetch").get(0);
        assertThat(fetch.path("uri").asText()).isEqualTo(uris.path("scheduler-tar-gz").asText())
                .startsWith(BuildSettings.artifactsUrl()).endsWith(".tar.gz");
        assertThat(fetch.path("extract").asBoolean()).isTrue();
        // The archive's name carries its version, so a cached copy is never stale; every restart skips the download.
        assertThat(fetch.path("cache").asBoolean()).isTrue();
        assertThat(app.at("/env/SNAPCI_MESOS_EXECUTOR_URI").asText()).isEqualTo(uris.path("executor-tar-gz").asText());
        assertThat(app.path("cmd").asText()).contains("./snapci-scheduler/bin/snapci serve")
                .contains("SNAPCI_HTTP_PORT=\"$PORT0\"");
        assertThat(app.at("/env/SNAPCI_MODE").asText()).isEqualTo("mesos");
        assertThat(app.at("/env/SNAPCI_HTTP_HOST").asText()).isEqualTo("0.0.0.0");
    }

    @Test
    void everyCombinationOfSecretsRendersAValidApp() {
        List<String> secretOptions = List.of("service.service_account_secret", "portworx.token_secret",
                "api.tokens_secret", "api.read_only_tokens_secret", "portworx.ca_secret");
        for (int mask = 0; mask < 1 << secretOptions.size(); mask++) {
            ObjectNode options = Documents.JSON.createObjectNode();
            Set<String> set = new HashSet<>();
            for (int i = 0; i < secretOptions.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    CosmosRenderer.mergeInto(options, ConfigOptions.single(secretOptions.get(i),
                            Documents.JSON.getNodeFactory().textNode("snapci/secret-" + i)));
                    set.add("snapci/secret-" + i);
                }
            }
            JsonNode app = render(options);
            assertThat(MarathonAppRules.violations(app)).as("secrets " + set).isEmpty();
            Set<String> sources = new HashSet<>();
            app.path("secrets").forEach(s -> sources.add(s.path("source").asText()));
            assertThat(sources).as("declared secrets").isEqualTo(set);
            long references = app.path("env").findValues("secret").size()
                    + app.path("container").path("volumes").findValues("secret").size();
            assertThat(references).as("env and file references").isEqualTo(set.size());
        }
    }

    @Test
    void thePortworxCaReachesServeAsAnAbsolutePathInTheSandboxWhicheverWayItCame() throws Exception {
        JsonNode none = render(Documents.JSON.createObjectNode());
        assertThat(none.has("container")).as("no container unless a file secret needs one").isFalse();
        assertThat(none.path("fetch").size()).isOne();
        assertThat(exported(none, "")).as("no CA: the key stays unset for serve").isEmpty();

        JsonNode fetched = render(Documents.parse("{\"portworx\": {\"ca_uri\": \"https://certs.example/px.pem\"}}"));
        assertThat(MarathonAppRules.violations(fetched)).isEmpty();
        assertThat(fetched.at("/fetch/1/cache").asBoolean(true)).as("a renewed CA is fetched again").isFalse();
        assertThat(exported(fetched, fetched.at("/env/SNAPCI_PORTWORX_CA_FILE").asText()))
                .isEqualTo("/mnt/mesos/sandbox/portworx-ca.pem");

        JsonNode secret = render(Documents.parse("""
                {"portworx": {"ca_secret": "snapci/px-ca", "ca_uri": "https://certs.example/px.pem"}}
                """));
        assertThat(MarathonAppRules.violations(secret)).isEmpty();
        assertThat(secret.path("fetch").size()).as("the secret wins: the URI is not fetched").isOne();
        assertThat(exported(secret, secret.at("/env/SNAPCI_PORTWORX_CA_FILE").asText()))
                .isEqualTo("/mnt/mesos/sandbox/" + secret.at("/container/volumes/0/containerPath").asText());
    }

    /** SNAPCI_PORTWORX_CA_FILE after the app's cmd exported its variables, run by bash as Mesos runs cmd. */
    private static String exported(JsonNode app, String caFileEnv) throws Exception {
        String cmd = app.path("cmd").asText();
        String exports = cmd.substring(0, cmd.indexOf(" && exec "));
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", exports + " && printf %s \"$SNAPCI_PORTWORX_CA_FILE\"");
        bash.environment().put("MESOS_SANDBOX", "/mnt/mesos/sandbox");
        bash.environment().put("SNAPCI_PORTWORX_CA_FILE", caFileEnv);
        bash.environment().put("PORT0", "10000");
        bash.environment().put("HOST", "10.0.0.7");
        Process p = bash.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void optionsThatBreakConfigJsonAreRefusedBeforeRendering() {
        assertThatThrownBy(() -> render(Documents.parse("{\"service\": {\"name\": \"Bad Name\"}}")))
                .hasMessageContaining("service.name");
    }
}
