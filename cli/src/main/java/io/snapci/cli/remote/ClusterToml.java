package io.snapci.cli.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The dcos CLI configuration ({@code dcos.toml}) of the cluster a {@code dcos snapci} call is for, as every dcos CLI
 * the package's DC/OS versions ship leaves it:
 * <ul>
 *   <li>{@code DCOS_CONFIG}, when set, names the file (dcos CLI 0.6 and older honour it too);</li>
 *   <li>with {@code DCOS_URL} set (dcos CLI 0.7 and newer pass the attached cluster's), the cluster whose
 *       {@code core.dcos_url} it is: never another cluster's settings;</li>
 *   <li>else the cluster {@code DCOS_CLUSTER} names (id prefix or name), else the attached one
 *       ({@code $DCOS_DIR/clusters/<id>/attached}), else {@code $DCOS_DIR/dcos.toml} of a CLI that predates
 *       clusters. {@code DCOS_DIR} defaults to {@code ~/.dcos}.</li>
 * </ul>
 */
final class ClusterToml {

    private ClusterToml() {
    }

    /** Its values by dotted key ({@code core.dcos_url}, {@code snapci.service_name}); empty when there is none. */
    static Map<String, String> of(Map<String, String> env) {
        String configFile = env.get("DCOS_CONFIG");
        if (configFile != null && !configFile.isBlank() && Files.isRegularFile(Path.of(configFile))) {
            return read(Path.of(configFile));
        }
        String home = env.get("DCOS_DIR");
        Path dcosDir = Path.of(home == null || home.isBlank() ? System.getProperty("user.home") + "/.dcos" : home);
        Path clusters = dcosDir.resolve("clusters");
        if (!Files.isDirectory(clusters)) {
            Path legacy = dcosDir.resolve("dcos.toml");
            return Files.isRegularFile(legacy) && matchesUrl(read(legacy), env) ? read(legacy) : Map.of();
        }
        String url = env.get("DCOS_URL");
        String wanted = env.get("DCOS_CLUSTER");
        try (Stream<Path> dirs = Files.list(clusters)) {
            List<Path> candidates = dirs.filter(d -> Files.isRegularFile(d.resolve("dcos.toml"))).sorted().toList();
            for (Path dir : candidates) {
                Map<String, String> values = read(dir.resolve("dcos.toml"));
                boolean chosen = url != null && !url.isBlank() ? matchesUrl(values, env)
                        : wanted != null ? dir.getFileName().toString().startsWith(wanted)
                        || wanted.equals(values.get("cluster.name"))
                        : Files.exists(dir.resolve("attached"));
                if (chosen) {
                    return values;
                }
            }
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dcos CLI's clusters in " + clusters, e);
        }
    }

    /** Whether the file is the configuration of the cluster {@code DCOS_URL} names (true when it names none). */
    private static boolean matchesUrl(Map<String, String> values, Map<String, String> env) {
        String url = env.get("DCOS_URL");
        return url == null || url.isBlank() || normalized(url).equals(normalized(values.getOrDefault("core.dcos_url", "")));
    }

    private static String normalized(String url) {
        return url.strip().replaceAll("/+$", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, String> read(Path file) {
        try {
            return TomlValues.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dcos CLI's configuration " + file, e);
        }
    }
}
