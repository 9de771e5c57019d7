package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** universe/package.json and resource.json, filled the way the build fills them, follow Universe's v4 rules. */
class UniversePackageTest {

    private final UniverseFiles universe = UniverseFiles.checkout();

    @Test
    void packageJsonFollowsUniversesV4PackageRules() {
        JsonNode pkg = universe.packageJson();
        assertThat(Rules.UNIVERSE_PACKAGE_V4.violations(pkg)).isEmpty();
        assertThat(pkg.path("packagingVersion").asText()).isEqualTo("4.0");
        assertThat(pkg.path("name").asText()).isEqualTo("snapci");
        assertThat(pkg.path("version").asText()).isEqualTo(BuildSettings.version());
        assertThat(pkg.path("framework").asBoolean()).isTrue();
        assertThat(pkg.path("tags").size()).isPositive();
        assertThat(pkg.path("licenses").size()).isPositive();
    }

    @Test
    void theNotesSayWhatTheClusterNeedsAndWhatUninstallLeaves() {
        JsonNode pkg = universe.packageJson();
        assertThat(pkg.path("preInstallNotes").asText()).contains("Portworx", "9021", "docker/volume", "pxd",
                "tier:ci", "service_account_secret");
        assertThat(pkg.path("postInstallNotes").asText()).contains("/v1/health", "dcos snapci");
        assertThat(pkg.path("postUninstallNotes").asText()).contains("created-by=snapci", "ZooKeeper");
    }

    @Test
    void resourceJsonFollowsUniversesResourceRulesAndNamesTheBuiltArchives() {
        JsonNode resource = universe.resource();
        assertThat(Rules.UNIVERSE_RESOURCE.violations(resource)).isEmpty();
        String prefix = BuildSettings.artifactsUrl() + "/" + BuildSettings.archivePrefix();
        assertThat(resource.at("/assets/uris/scheduler-tar-gz").asText())
                .isEqualTo(prefix + "-scheduler-linux-x86_64.tar.gz");
        assertThat(resource.at("/assets/uris/executor-tar-gz").asText())
                .isEqualTo(prefix + "-executor-linux-x86_64.tar.gz");
        for (String platform : new String[] {"linux", "darwin"}) {
            JsonNode cli = resource.at("/cli/binaries/" + platform + "/x86-64");
            assertThat(cli.path("kind").asText()).isEqualTo("zip");
            assertThat(cli.path("url").asText()).isEqualTo(prefix + "-dcos-cli.zip");
            assertThat(cli.at("/contentHash/0/algo").asText()).isEqualTo("sha256");
            assertThat(cli.at("/contentHash/0/value").asText()).matches("[0-9a-f]{64}");
        }
    }
}
