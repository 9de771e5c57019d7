package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** What `mvn package` leaves in packaging/target: the archives, their hashes and the filled Universe package. */
class BuiltPackageIT {

    private final Path dist = BuildSettings.distDir();
    private final String prefix = BuildSettings.archivePrefix();
    private final UniverseFiles universe = UniverseFiles.built(dist.resolve("universe"));

    @Test
    void resourceJsonsContentHashesMatchTheBuiltCliArchive() throws Exception {
        for (String platform : List.of("linux", "darwin")) {
            JsonNode cli = universe.resource().at("/cli/binaries/" + platform + "/x86-64");
            Path archive = dist.resolve(fileName(cli.path("url").asText()));
            assertThat(archive).isRegularFile();
            assertThat(cli.at("/contentHash/0/algo").asText()).isEqualTo("sha256");
            assertThat(cli.at("/contentHash/0/value").asText()).isEqualTo(sha256(archive));
        }
    }

    @Test
    void everyAssetNamesABuiltArchiveWhoseHashIsPublishedInSha256Sums() throws Exception {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dist.resolve("SHA256SUMS"))) {
            String[] parts = line.split("  ", 2);
            sums.put(parts[1], parts[0]);
        }
        assertThat(sums).containsOnlyKeys(prefix + "-scheduler-linux-x86_64.tar.gz",
                prefix + "-executor-linux-x86_64.tar.gz", prefix + "-dcos-cli.zip");
        for (Map.Entry<String, String> sum : sums.entrySet()) {
            assertThat(sha256(dist.resolve(sum.getKey()))).as(sum.getKey()).isEqualTo(sum.getValue());
        }
        universe.resource().at("/assets/uris").forEach(uri -> {
            assertThat(uri.asText()).startsWith(BuildSettings.artifactsUrl() + "/");
            assertThat(sums).containsKey(fileName(uri.asText()));
        });
    }

    @Test
    void theIconsResourceJsonNamesArePublishedNextToTheArchivesWithTheirRetinaVersions() {
        universe.resource().path("images").forEach(url -> {
            String file = fileName(url.asText());
            assertThat(url.asText()).startsWith(BuildSettings.artifactsUrl() + "/");
            assertThat(dist.resolve(file)).as(file).isRegularFile();
            assertThat(dist.resolve(file.replace(".png", "@2x.png"))).isRegularFile();
        });
    }

    @Test
    void theBuiltUniversePackageFollowsTheRules() {
        assertThat(Rules.UNIVERSE_PACKAGE_V4.violations(universe.packageJson())).isEmpty();
        assertThat(universe.packageJson().path("version").asText()).isEqualTo(BuildSettings.version());
        assertThat(Rules.UNIVERSE_RESOURCE.violations(universe.resource())).isEmpty();
        assertThat(Rules.JSON_SCHEMA_DRAFT_4.violations(universe.config())).isEmpty();
        JsonNode app = universe.renderer().render(universe.marathonTemplate(), Documents.JSON.createObjectNode());
        assertThat(MarathonAppRules.violations(app)).isEmpty();
    }

    @Test
    void theExecutorBundleIsSelfContainedUnderTheDirectoryTheTaskGroupStarts() throws Exception {
        Path bundle = dist.resolve(prefix + "-executor-linux-x86_64.tar.gz");
        List<String> entries = tarListing(bundle);
        assertThat(entries).anyMatch(e -> e.startsWith("-rwxr-xr-x") && e.endsWith(" snapci-executor/bin/snapci-tests-task"));
        assertThat(entries).anyMatch(e -> e.startsWith("-rwxr-xr-x") && e.endsWith(" snapci-executor/jre/bin/java"));
        assertThat(entries).anyMatch(e -> e.endsWith(" snapci-executor/lib/snapci-executor-" + BuildSettings.version() + ".jar"));
        assertThat(entries).allMatch(e -> e.contains(" snapci-executor/"));
        // The bundled runtime is Java 17, the level snapci's classes are compiled for (class file version 61).
        assertThat(Files.readString(dist.resolve("jre/release"))).contains("JAVA_VERSION=\"17");
    }

    @Test
    void theCliPluginArchiveHoldsAPluginTomlAndAnExecutableCommand() throws Exception {
        try (ZipFile zip = new ZipFile(dist.resolve(prefix + "-dcos-cli.zip").toFile())) {
            String toml;
            try (InputStream in = zip.getInputStream(zip.getEntry("plugin.toml"))) {
                toml = new String(in.readAllBytes());
            }
            assertThat(toml).contains("schema_version = 1", "name = \"snapci\"", "path = \"bin/dcos-snapci\"");
            assertThat(zip.getEntry("bin/dcos-snapci")).isNotNull();
            assertThat(zip.stream().anyMatch(e -> e.getName().startsWith("lib/snapci-cli-"))).isTrue();
        }
        List<String> listing = run("zipinfo", dist.resolve(prefix + "-dcos-cli.zip").toString());
        assertThat(listing).anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(" bin/dcos-snapci"));
    }

    @Test
    void theUnpackedPluginPrintsItsReleaseVersionAndBringsItsBashCompletion() throws Exception {
        Path env = Files.createTempDirectory("snapci-plugin-env");
        // As the dcos CLI installs a zip plugin: unpacked into the plugin's env/.
        assertThat(run("unzip", "-q", dist.resolve(prefix + "-dcos-cli.zip").toString(), "-d", env.toString())).isEmpty();
        try (var jar = new java.util.jar.JarFile(env.resolve("lib/snapci-cli-" + BuildSettings.version() + ".jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version"))
                    .isEqualTo(BuildSettings.version());
        }
        assertThat(run(env.resolve("bin/dcos-snapci").toString(), "snapci", "--version"))
                .containsExactly("snapci " + BuildSettings.version());

        Path completion = env.resolve("completion/bash/snapci");
        assertThat(Files.readString(completion)).contains("_dcos_snapci()").doesNotContain("complete -F");
        assertThat(run("bash", "--norc", "-c", "source '" + completion + "'; COMP_WORDS=(dcos snapci sched);"
                + " COMP_CWORD=2; _dcos_snapci; echo \"${COMPREPLY[*]}\"")).containsExactly("schedules");
    }

    @Test
    void onlyTheSchedulerCarriesServesClusterModeTheCliPluginDoesNot() throws Exception {
        List<String> scheduler = tarListing(dist.resolve(prefix + "-scheduler-linux-x86_64.tar.gz"));
        for (String jar : List.of("snapci-server-mesos-", "snapci-scheduler-mesos-", "snapci-scheduler-portworx-",
                "snapci-scheduler-zookeeper-", "mesos-1.11.0", "curator-recipes-", "snapci-server-local-")) {
            assertThat(scheduler).as(jar).anyMatch(e -> e.contains(" snapci-scheduler/lib/" + jar));
        }
        try (ZipFile zip = new ZipFile(dist.resolve(prefix + "-dcos-cli.zip").toFile())) {
            List<String> lib = zip.stream().map(e -> e.getName()).filter(n -> n.startsWith("lib/")).toList();
            assertThat(lib).anyMatch(n -> n.startsWith("lib/snapci-server-local-"));
            assertThat(lib).noneMatch(n -> n.startsWith("lib/snapci-server-mesos-") || n.startsWith("lib/mesos-")
                    || n.startsWith("lib/snapci-scheduler-mesos-") || n.startsWith("lib/snapci-scheduler-portworx-")
                    || n.startsWith("lib/snapci-scheduler-zookeeper-") || n.startsWith("lib/curator-")
                    || n.startsWith("lib/zookeeper-"));
        }
    }

    private static String fileName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<String> tarListing(Path archive) throws Exception {
        return run("tar", "-tvzf", archive.toString());
    }

    private static List<String> run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
        return lines;
    }
}
