package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four files of the Universe package: either as the build leaves them (packaging/target/universe/) or as they
 * are in the checkout (universe/), with the build's {{tokens}} filled in here the way the packaging POM's antrun
 * step fills them, so that the rules can be checked without building the archives.
 */
record UniverseFiles(JsonNode packageJson, JsonNode resource, JsonNode config, String marathonTemplate) {

    private static final Pattern TOKEN = Pattern.compile("\\{\\{([^}]+)}}");
    /** A stand-in for a SHA-256 when no archive was built. */
    static final String NO_HASH = "0".repeat(64);

    static UniverseFiles built(Path dir) {
        return new UniverseFiles(Documents.read(dir.resolve("package.json")), Documents.read(dir.resolve("resource.json")),
                Documents.read(dir.resolve("config.json")), Documents.text(dir.resolve("marathon.json.mustache")));
    }

    /** universe/ with the tokens the build fills: the version, the artifacts' URL and names, the CLI's hash. */
    static UniverseFiles fromSources(Path universeDir, String version, String artifactsUrl) {
        String prefix = "snapci-" + version;
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("package-version", version);
        tokens.put("artifact-dir", artifactsUrl);
        tokens.put("scheduler-archive", prefix + "-scheduler-linux-x86_64.tar.gz");
        tokens.put("executor-archive", prefix + "-executor-linux-x86_64.tar.gz");
        tokens.put("cli-archive", prefix + "-dcos-cli.zip");
        tokens.put("sha256:cli", NO_HASH);
        return new UniverseFiles(Documents.parse(fill(Documents.text(universeDir.resolve("package.json")), tokens)),
                Documents.parse(fill(Documents.text(universeDir.resolve("resource.json")), tokens)),
                Documents.read(universeDir.resolve("config.json")),
                Documents.text(universeDir.resolve("marathon.json.mustache")));
    }

    /** The checkout's package as the default build makes it. */
    static UniverseFiles checkout() {
        return fromSources(Documents.repoRoot().resolve("universe"), BuildSettings.version(),
                BuildSettings.artifactsUrl());
    }

    /** Replaces every {{token}}; a token the build does not know is an error, not silently left in. */
    static String fill(String text, Map<String, String> tokens) {
        Matcher m = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = tokens.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown build token {{" + m.group(1) + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    CosmosRenderer renderer() {
        return new CosmosRenderer(config, resource);
    }
}
