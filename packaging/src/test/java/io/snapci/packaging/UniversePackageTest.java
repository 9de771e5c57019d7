package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
    void theCatalogueEntryCarriesAMaintainerAddressThePreviewNoticeAndWhereTheDocumentationIs() {
        JsonNode pkg = universe.packageJson();
        assertThat(pkg.path("maintainer").asText()).matches("[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-z]{2,}");
        // Universe's README: a package's first version starts its preInstallNotes with this line.
        assertThat(pkg.path("preInstallNotes").asText()).startsWith("This DC/OS Service is currently in preview. There"
                + " may be bugs, incomplete features, incorrect documentation, or other discrepancies. Preview packages"
                + " should never be used in production!");
        assertThat(pkg.path("postInstallNotes").asText())
                .contains("Documentation: " + pkg.path("website").asText() + "/blob/main/docs/install.md")
                .contains("marathon.l4lb.thisdcos.directory");
        assertThat(Documents.repoRoot().resolve("docs/install.md")).isRegularFile();
        assertThat(pkg.path("preInstallNotes").asText()).contains("service.constraints");
    }

    @Test
    void theIconsAreTheSizesUniverseAsksForAndArePublishedWithTheArchives() throws IOException {
        Map<String, Integer> sizes = Map.of("icon-small", 48, "icon-medium", 96, "icon-large", 256);
        JsonNode images = universe.resource().path("images");
        assertThat(images.size()).isEqualTo(3);
        for (Map.Entry<String, Integer> icon : sizes.entrySet()) {
            String name = icon.getKey();
            assertThat(images.path(name).asText()).as(name)
                    .isEqualTo(BuildSettings.artifactsUrl() + "/snapci-" + name + ".png");
            assertThat(pixels(Documents.repoRoot().resolve("universe/images/" + name + ".png"))).as(name)
                    .isEqualTo(new int[] {icon.getValue(), icon.getValue()});
            assertThat(pixels(Documents.repoRoot().resolve("universe/images/" + name + "@2x.png"))).as(name + "@2x")
                    .isEqualTo(new int[] {2 * icon.getValue(), 2 * icon.getValue()});
        }
    }

    @Test
    void theCassandraImageIsListedForMirrorsUnderAssetsContainerDocker() {
        JsonNode docker = universe.resource().at("/assets/container/docker");
        assertThat(docker.size()).isEqualTo(1);
        assertThat(docker.path("cassandra").asText()).isEqualTo("cassandra:5.0");
    }

    private static int[] pixels(Path png) throws IOException {
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as(png + " is a readable image").isNotNull();
        assertThat(image.getColorModel().hasAlpha()).as("transparent corners").isTrue();
        return new int[] {image.getWidth(), image.getHeight()};
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
