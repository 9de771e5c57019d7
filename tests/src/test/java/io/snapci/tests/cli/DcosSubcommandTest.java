package io.snapci.tests.cli;

import io.snapci.tests.support.Cleanup;
import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI as {@code dcos snapci}: started the way the dcos CLI starts a plugin (subcommand name first,
 * {@code DCOS_CLI_EXECUTABLE_PATH}, the attached cluster's {@code DCOS_URL} and {@code DCOS_ACS_TOKEN}), talking to
 * a real serve that verifies ACS tokens with the cluster's key, through an Admin Router stand-in that routes
 * {@code /service/snapci/}. No runs: these are about finding and reaching the service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DcosSubcommandTest {

    private static final Duration QUICK = Duration.ofSeconds(60);
    private static final String DCOS_BINARY = "/usr/local/bin/dcos";

    @TempDir
    static Path dir;

    private LocalServe service;
    private AdminRouterProxy adminRouter;
    private AcsTokens iam;
    private String loginToken;

    @BeforeAll
    void cluster() throws Exception {
        iam = new AcsTokens();
        Path key = iam.writePublicKey(dir.resolve("cluster-key.pem"));
        service = LocalServe.start(dir, Map.of("auth.dcos.publicKeyFile", key.toString()));
        adminRouter = AdminRouterProxy.start("snapci", service.baseUri());
        loginToken = iam.token("ci-bot", Instant.now().plus(Duration.ofHours(1)));
    }

    @AfterAll
    void stop() throws Exception {
        Cleanup.closeOpened(adminRouter, service);
    }

    @Test
    void infoVersionAndHelpFollowTheSubcommandConventions() throws Exception {
        CliProcess info = dcos(Map.of(), "snapci", "--info");
        assertThat(info.awaitExit(QUICK)).isZero();
        assertThat(info.output().strip())
                .isEqualTo("Test every CI run against a fresh, writable copy of production Cassandra data");
        CliProcess version = dcos(Map.of(), "snapci", "--version");
        assertThat(version.awaitExit(QUICK)).isZero();
        assertThat(version.output()).startsWith("snapci ");
        CliProcess help = dcos(Map.of(), "snapci", "--help");
        assertThat(help.awaitExit(QUICK)).isZero();
        assertThat(help.output()).contains("run", "status", "list", "logs", "cancel", "snapshots", "schedules",
                "audit");
    }

    @Test
    void theAttachedClustersUrlAndAcsTokenReachTheServiceThroughAdminRouter() throws Exception {
        CliProcess list = dcos(attached(loginToken), "snapci", "list");
        assertThat(list.awaitExit(QUICK)).as(list.output()).isZero();
        assertThat(list.output()).contains("no runs");
        assertThat(adminRouter.forwarded()).contains("GET /v1/runs?limit=20 (Authorization: Bearer)");

        CliProcess status = dcos(attached(loginToken), "snapci", "status", "r20990101-000000-0000");
        assertThat(status.awaitExit(QUICK)).isEqualTo(2);
        assertThat(status.output()).contains("no run with id 'r20990101-000000-0000'", "HTTP 404");
    }

    @Test
    void theServiceNameComesFromTheDcosConfigOrTheOption() throws Exception {
        Map<String, String> staging = new HashMap<>(attached(loginToken));
        staging.put("DCOS_SNAPCI_SERVICE_NAME", "snapci-staging");  // dcos config set snapci.service_name ...
        CliProcess wrongService = dcos(staging, "snapci", "list");
        assertThat(wrongService.awaitExit(QUICK)).isEqualTo(2);
        assertThat(wrongService.output()).contains("HTTP 404 from " + adminRouter.clusterUrl()
                + "/service/snapci-staging/v1/runs", "service name");

        CliProcess named = dcos(staging, "snapci", "list", "--service-name", "snapci");
        assertThat(named.awaitExit(QUICK)).as(named.output()).isZero();
    }

    @Test
    void withoutTheDcosVariablesTheAttachedClustersConfigIsRead() throws Exception {
        Path dcosDir = dir.resolve("dcos-home");
        Path other = Files.createDirectories(dcosDir.resolve("clusters/1c2d3e4f"));
        Files.writeString(other.resolve("dcos.toml"), "[core]\ndcos_url = \"https://elsewhere.example\"\n");
        Path attached = Files.createDirectories(dcosDir.resolve("clusters/9a8b7c6d"));
        Files.writeString(attached.resolve("dcos.toml"), "[core]\ndcos_url = \"" + adminRouter.clusterUrl()
                + "\"\ndcos_acs_token = \"" + loginToken + "\"\nssl_verify = \"false\"\n\n[cluster]\nname = \"ci\"\n");
        Files.createFile(attached.resolve("attached"));

        CliProcess list = dcos(Map.of("DCOS_DIR", dcosDir.toString()), "snapci", "list");
        assertThat(list.awaitExit(QUICK)).as(list.output()).isZero();
        assertThat(list.output()).contains("no runs");

        CliProcess none = dcos(Map.of("DCOS_DIR", dir.resolve("empty-dcos-home").toString()), "snapci", "list");
        assertThat(none.awaitExit(QUICK)).isEqualTo(2);
        assertThat(none.output()).contains("no DC/OS cluster is attached", "dcos cluster setup");
    }

    @Test
    void anExpiredOrMissingTokenSaysToLogInAgain() throws Exception {
        String expired = iam.token("ci-bot", Instant.now().minus(Duration.ofMinutes(5)));
        CliProcess late = dcos(attached(expired), "snapci", "list");
        assertThat(late.awaitExit(QUICK)).isEqualTo(2);
        assertThat(late.output()).contains("expired", "HTTP 401", "hint: log in to the cluster again (dcos auth login)");

        Map<String, String> noToken = new HashMap<>(attached(loginToken));
        noToken.remove("DCOS_ACS_TOKEN");
        CliProcess anonymous = dcos(noToken, "snapci", "list");
        assertThat(anonymous.awaitExit(QUICK)).isEqualTo(2);
        assertThat(anonymous.output()).contains("HTTP 401 from " + adminRouter.clusterUrl(), "Authentication required",
                "dcos auth login");
    }

    @Test
    void outsideTheDcosCliTheDcosVariablesAreNotUsed() throws Exception {
        Map<String, String> env = new HashMap<>(attached(loginToken));
        env.remove("DCOS_CLI_EXECUTABLE_PATH");
        CliProcess list = CliProcess.start(dir, CliProcess.scrubbedEnv(env), "list");
        assertThat(list.awaitExit(QUICK)).isEqualTo(2);
        assertThat(list.output()).contains("no snapci service given");
    }

    /**
     * The plugin, through its launcher, with the environment each dcos CLI generation gives it: 0.6 and older (DC/OS
     * 1.11) none of their own, 0.7 to 1.0 the cluster's URL, token and TLS setting but not the snapci.* settings,
     * 1.x also the settings as DCOS_SNAPCI_*. The settings come from the cluster's dcos.toml where the environment
     * lacks them, and only from the toml of the cluster the call is for.
     */
    @Test
    void everyDcosCliGenerationsEnvironmentFindsTheClusterAndTheSnapciSettings() throws Exception {
        try (AdminRouterProxy staging = AdminRouterProxy.start("snapci-staging", service.baseUri())) {
            Path dcosDir = dir.resolve("generations-dcos-home");
            Path attached = Files.createDirectories(dcosDir.resolve("clusters/5e6f7a8b"));
            Files.writeString(attached.resolve("dcos.toml"), "[core]\ndcos_url = \"" + staging.clusterUrl()
                    + "\"\ndcos_acs_token = \"" + loginToken + "\"\nssl_verify = \"false\"\n\n[snapci]\n"
                    + "service_name = \"snapci-staging\"\n");
            Files.createFile(attached.resolve("attached"));
            Path other = Files.createDirectories(dcosDir.resolve("clusters/1a2b3c4d"));
            Files.writeString(other.resolve("dcos.toml"), "[core]\ndcos_url = \"" + adminRouter.clusterUrl()
                    + "\"\n\n[snapci]\nservice_name = \"snapci-old\"\n");
            DcosPluginInstall plugin = DcosPluginInstall.into(dir.resolve("generations"));

            // dcos CLI 0.6: `dcos config set snapci.service_name ...` first asks for the settings' schema.
            CliProcess schema = launcher(plugin, Map.of("DCOS_DIR", dcosDir.toString()), "snapci", "--config-schema");
            assertThat(schema.awaitExit(QUICK)).as(schema.output()).isZero();
            JsonNode properties = new ObjectMapper().readTree(schema.output()).path("properties");
            assertThat(properties.path("service_name").path("type").asText()).isEqualTo("string");
            assertThat("snapci-staging").matches(properties.path("service_name").path("pattern").asText());

            // dcos CLI 0.6: no variable at all; the attached cluster's toml gives the cluster and the name.
            CliProcess v06 = launcher(plugin, Map.of("DCOS_DIR", dcosDir.toString()), "snapci", "list");
            assertThat(v06.awaitExit(QUICK)).as(v06.output()).isZero();
            assertThat(staging.forwarded()).contains("GET /v1/runs?limit=20 (Authorization: Bearer)");

            // dcos CLI 0.7-1.0: DCOS_URL of a cluster that is not the attached one; its own toml names the service.
            Map<String, String> v07env = new HashMap<>(attached(loginToken));
            v07env.put("DCOS_CLI_EXECUTABLE_PATH", DCOS_BINARY);
            v07env.put("DCOS_DIR", dcosDir.toString());
            CliProcess v07 = launcher(plugin, v07env, "snapci", "list");
            assertThat(v07.awaitExit(QUICK)).isEqualTo(2);
            assertThat(v07.output()).contains("HTTP 404 from " + adminRouter.clusterUrl() + "/service/snapci-old/v1/runs");

            // dcos CLI 1.x: the setting in the environment overrides the toml's.
            Map<String, String> v1env = new HashMap<>(v07env);
            v1env.put("DCOS_SNAPCI_SERVICE_NAME", "snapci");
            CliProcess v1 = launcher(plugin, v1env, "snapci", "list");
            assertThat(v1.awaitExit(QUICK)).as(v1.output()).isZero();
            assertThat(v1.output()).contains("no runs");
        }
    }

    @Test
    void verboseShowsTheHttpCallsOnStandardErrorWithoutTheToken() throws Exception {
        CliProcess verbose = dcos(attached(loginToken), "snapci", "list", "-v");
        assertThat(verbose.awaitExit(QUICK)).as(verbose.output()).isZero();
        assertThat(verbose.output()).contains("snapci: > GET " + adminRouter.clusterUrl() + "/service/snapci/v1/runs?limit=20",
                "snapci: < 200 from " + adminRouter.clusterUrl() + "/service/snapci/v1/runs?limit=20 in ");
        assertThat(verbose.output()).doesNotContain("Authorization");

        Map<String, String> debug = new HashMap<>(attached(loginToken));
        debug.put("DCOS_LOG_LEVEL", "debug");  // dcos -vv snapci list
        CliProcess headers = dcos(debug, "snapci", "list");
        assertThat(headers.awaitExit(QUICK)).as(headers.output()).isZero();
        assertThat(headers.output()).contains("snapci: >   Authorization: Bearer (hidden)").doesNotContain(loginToken);
        assertThat(headers.output()).containsIgnoringCase("snapci: <   content-type: application/json");

        CliProcess quiet = dcos(attached(loginToken), "snapci", "list");
        assertThat(quiet.awaitExit(QUICK)).isZero();
        assertThat(quiet.output()).doesNotContain("snapci: >");
    }

    @Test
    void theUsageNamesTheCommandTheUserTypes() throws Exception {
        CliProcess plugin = dcos(Map.of(), "snapci");
        assertThat(plugin.awaitExit(QUICK)).isEqualTo(2);
        assertThat(plugin.output()).startsWith("Usage: dcos snapci ");
        CliProcess list = dcos(Map.of(), "snapci", "list", "--help");
        assertThat(list.awaitExit(QUICK)).isZero();
        assertThat(list.output()).startsWith("Usage: dcos snapci list ");
        CliProcess standalone = CliProcess.start(dir, CliProcess.scrubbedEnv(Map.of()), "list", "--help");
        assertThat(standalone.awaitExit(QUICK)).isZero();
        assertThat(standalone.output()).startsWith("Usage: snapci list ");
    }

    private static CliProcess launcher(DcosPluginInstall plugin, Map<String, String> env, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(plugin.pluginHome.resolve("bin/dcos-snapci").toString()));
        command.addAll(List.of(args));
        return CliProcess.start(new ProcessBuilder(command).directory(dir.toFile()), CliProcess.scrubbedEnv(env));
    }

    /** What the dcos CLI passes a plugin when a cluster is attached (dcos-cli's pluginEnv). */
    private Map<String, String> attached(String token) {
        return Map.of("DCOS_URL", adminRouter.clusterUrl(), "DCOS_ACS_TOKEN", token, "DCOS_TLS_INSECURE", "1");
    }

    /** The CLI as the dcos CLI runs a plugin: its own path in DCOS_CLI_EXECUTABLE_PATH, the subcommand first. */
    private static CliProcess dcos(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("DCOS_CLI_EXECUTABLE_PATH", DCOS_BINARY);
        return CliProcess.start(dir, CliProcess.scrubbedEnv(all), args);
    }
}
