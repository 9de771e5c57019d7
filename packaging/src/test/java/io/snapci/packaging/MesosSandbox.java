package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A task sandbox as the Mesos fetcher leaves it, with the built archives standing in for the published ones: a fetch
 * URI's file name is looked up among what `mvn package` built, copied in, and extracted when the fetch says so
 * (the fetcher extracts .tar.gz with tar).
 */
record MesosSandbox(Path dir, Path builtArtifacts) {

    /** One entry of an app's {@code fetch}. */
    void fetch(JsonNode artifact) throws IOException, InterruptedException {
        fetch(artifact.path("uri").asText(), artifact.path("extract").asBoolean(true));
    }

    void fetch(String uri, boolean extract) throws IOException, InterruptedException {
        String name = Path.of(URI.create(uri).getPath()).getFileName().toString();
        Path built = builtArtifacts.resolve(name);
        if (!Files.isRegularFile(built)) {
            throw new IllegalStateException(uri + " names " + name + ", which the build did not make (in " + builtArtifacts + ")");
        }
        Path copy = Files.copy(built, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        if (extract && name.endsWith(".tar.gz")) {
            Process tar = new ProcessBuilder("tar", "-xzf", copy.toString(), "-C", dir.toString()).inheritIO().start();
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new IllegalStateException("could not extract " + name);
            }
        }
    }
}
