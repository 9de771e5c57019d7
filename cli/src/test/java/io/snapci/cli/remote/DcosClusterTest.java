package io.snapci.cli.remote;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster and the snapci.* settings, found from what each dcos CLI generation gives a plugin: 1.x passes
 * everything in the environment, 0.7 to 1.0 pass the cluster but not the settings, 0.6 and older pass nothing.
 */
class DcosClusterTest {

    private static final String PROD = "https://prod.dcos.example";
    private static final String STAGING = "https://staging.dcos.example";

    @TempDir
    Path dcosDir;

    /** Two clusters set up with the dcos CLI; staging is attached and names its snapci service. */
    private void twoClusters() throws Exception {
        cluster("0a1b2c3d", PROD, "prod-token", "snapci-prod", false);
        cluster("9f8e7d6c", STAGING, "staging-token", "snapci-staging", true);
    }

    private void cluster(String id, String url, String token, String serviceName, boolean attached) throws Exception {
        Path dir = Files.createDirectories(dcosDir.resolve("clusters").resolve(id));
        Files.writeString(dir.resolve("dcos.toml"), """
                [core]
                dcos_url = "%s"
                dcos_acs_token = "%s"
                ssl_verify = "false"

                [cluster]
                name = "%s"

                [snapci]
                service_name = "%s"
                """.formatted(url, token, id.startsWith("0") ? "prod" : "staging", serviceName));
        if (attached) {
            Files.createFile(dir.resolve("attached"));
        }
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("DCOS_DIR", dcosDir.toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void dcosCli06AndOlderPassNothingSoTheAttachedClustersTomlGivesEverything() throws Exception {
        twoClusters();
        Map<String, String> env = env(DcosCluster.LAUNCHER_MARKER, "1");
        assertTrue(DcosCluster.isPlugin(env), "the launcher's marker says it is the plugin");
        ServiceEndpoint endpoint = DcosCluster.from(env).endpoint(null, null);
        assertEquals(STAGING + "/service/snapci-staging/", endpoint.base().toString());
        assertEquals("staging-token", endpoint.token());
        assertTrue(endpoint.insecureTls());
    }

    @Test
    void dcosCli07To10PassTheClusterButNotTheSettingsWhichComeFromThatClustersToml() throws Exception {
        twoClusters();
        // prod is not the attached one: DCOS_URL says which cluster this call is for, and its settings apply.
        DcosCluster cluster = DcosCluster.from(env("DCOS_CLI_EXECUTABLE_PATH", "/usr/local/bin/dcos",
                "DCOS_URL", PROD, "DCOS_ACS_TOKEN", "fresh-token", "DCOS_TLS_INSECURE", "1"));
        ServiceEndpoint endpoint = cluster.endpoint(null, null);
        assertEquals(PROD + "/service/snapci-prod/", endpoint.base().toString());
        assertEquals("fresh-token", endpoint.token(), "the environment's token comes first");
    }

    @Test
    void aClusterNoTomlDescribesGetsNoOtherClustersSettings() throws Exception {
        twoClusters();
        DcosCluster cluster = DcosCluster.from(env("DCOS_CLI_EXECUTABLE_PATH", "/usr/local/bin/dcos",
                "DCOS_URL", "https://third.dcos.example/", "DCOS_ACS_TOKEN", "t"));
        assertEquals("https://third.dcos.example/service/snapci/", cluster.endpoint(null, null).base().toString());
        assertFalse(cluster.insecureTls(), "nor another cluster's ssl_verify");
    }

    @Test
    void dcosCli1xPassesTheSettingsAsEnvironmentVariablesWhichOverrideTheToml() throws Exception {
        twoClusters();
        DcosCluster cluster = DcosCluster.from(env("DCOS_CLI_EXECUTABLE_PATH", "/usr/local/bin/dcos",
                "DCOS_URL", STAGING, "DCOS_ACS_TOKEN", "t", "DCOS_SNAPCI_SERVICE_NAME", "ci/snapci"));
        assertEquals(STAGING + "/service/ci/snapci/", cluster.endpoint(null, null).base().toString());
        assertEquals(STAGING + "/service/other/", cluster.endpoint("other", null).base().toString(),
                "--service-name wins over both");
    }

    @Test
    void dcosConfigNamesTheFileAndDcosClusterPicksANonAttachedOne() throws Exception {
        twoClusters();
        Path file = dcosDir.resolve("elsewhere.toml");
        Files.writeString(file, "[core]\ndcos_url = \"https://file.dcos.example\"\n[snapci]\nservice_name = \"from-file\"\n");
        assertEquals("https://file.dcos.example/service/from-file/", DcosCluster.from(
                env("DCOS_CONFIG", file.toString())).endpoint(null, null).base().toString());
        assertEquals(PROD + "/service/snapci-prod/", DcosCluster.from(env("DCOS_CLUSTER", "prod"))
                .endpoint(null, null).base().toString());
    }

    @Test
    void aCliThatPredatesClustersKeepsOneTomlInDcosDir() throws Exception {
        Files.writeString(dcosDir.resolve("dcos.toml"), "[core]\ndcos_url = \"" + PROD + "\"\n");
        assertEquals(PROD + "/service/snapci/", DcosCluster.from(env()).endpoint(null, null).base().toString());
    }

    @Test
    void withoutAnyClusterItSaysHowToSetOneUp() {
        UsageException e = assertThrows(UsageException.class, () -> DcosCluster.from(env()));
        assertTrue(e.getMessage().contains("no DC/OS cluster is attached"), e.getMessage());
        assertNull(PluginSettings.value(PluginSettings.SERVICE_NAME, Map.of(), Map.of()));
    }
}
