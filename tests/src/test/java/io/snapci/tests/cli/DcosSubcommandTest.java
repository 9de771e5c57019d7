package io.snapci.tests.cli;

import io.snapci.tests.support.Cleanup;
import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
        assertThat(help.output()).contains("run", "status", "list", "logs", "cancel", "snapshots", "schedules");
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
