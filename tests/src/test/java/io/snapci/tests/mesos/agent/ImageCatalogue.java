package io.snapci.tests.mesos.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The container images an executing agent can "pull". Images cannot run here, so an image is what the Mesos
 * containerizer takes from its manifest — {@code WorkingDir}, {@code User}, {@code Env}, {@code Entrypoint},
 * {@code Cmd} ({@code src/slave/containerizer/mesos/isolators/docker/runtime.cpp}) — plus the few files of it a task
 * needs, each mapped to a directory of this machine (for a Cassandra image: where its jars are). The task's command
 * then runs on the host with the image's WorkingDir and Env applied; see {@link ExecutingAgent} for how image paths
 * appear to the task.
 *
 * <p>{@code User} is kept only to show it is ignored: the Mesos containerizer does not support an image's USER and
 * runs the task as the task's user (docker/runtime.cpp:110-123 logs "Container user '...' is not supported yet").
 *
 * <p>A name not in the catalogue fails the way a pull from a registry fails: the Docker store's error reaches the
 * framework verbatim ({@code src/slave/containerizer/mesos/provisioner/docker/store.cpp}, no wrapping, and
 * {@code src/slave/http.cpp:3470-3474} answers the executor's LAUNCH_CONTAINER with it):
 * {@code Unexpected HTTP response '401 Unauthorized' when trying to get the manifest} for a repository the registry
 * does not have (Docker Hub answers 401 for those), {@code ... '404 Not Found' ...} for a missing tag of a known one
 * ({@code src/uri/fetchers/docker.cpp:836-843}).
 */
public final class ImageCatalogue {

    /**
     * One image.
     *
     * @param name       its reference, e.g. {@code cassandra:5.0}
     * @param workingDir the manifest's WorkingDir ("" when none)
     * @param user       the manifest's User ("" when none) — ignored by Mesos
     * @param env        the manifest's Env, {@code NAME=value} entries
     * @param entrypoint the manifest's Entrypoint
     * @param cmd        the manifest's Cmd
     * @param files      paths inside the image (absolute) → the directory or file of this machine that holds them
     */
    public record Image(String name, String workingDir, String user, List<String> env, List<String> entrypoint,
            List<String> cmd, Map<String, Path> files) {

        public Image {
            Objects.requireNonNull(name);
            workingDir = workingDir == null ? "" : workingDir;
            user = user == null ? "" : user;
            env = List.copyOf(env);
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            files = Map.copyOf(files);
            files.keySet().forEach(p -> {
                if (!p.startsWith("/")) {
                    throw new IllegalArgumentException("image paths are absolute: " + p);
                }
            });
        }
    }

    /** What a pull of a name gives: the image, or the registry's failure as the agent words it. */
    sealed interface Pull permits Pulled, PullFailed {
    }

    record Pulled(Image image) implements Pull {
    }

    record PullFailed(String message) implements Pull {
    }

    private final Map<String, Image> images;

    private ImageCatalogue(Map<String, Image> images) {
        this.images = Map.copyOf(images);
    }

    public static ImageCatalogue empty() {
        return new ImageCatalogue(Map.of());
    }

    public static ImageCatalogue of(Image... images) {
        ImageCatalogue catalogue = empty();
        for (Image image : images) {
            catalogue = catalogue.with(image);
        }
        return catalogue;
    }

    public ImageCatalogue with(Image image) {
        Map<String, Image> next = new LinkedHashMap<>(images);
        next.put(normalize(image.name()), image);
        return new ImageCatalogue(next);
    }

    public static Builder image(String name) {
        return new Builder(name);
    }

    /**
     * The official Cassandra image as its Dockerfile builds it (docker-library/cassandra {@code 5.0/Dockerfile}):
     * no WORKDIR, no USER (its entrypoint drops to uid 999 itself when started as root), Env
     * {@code CASSANDRA_HOME=/opt/cassandra}, {@code CASSANDRA_CONF=/etc/cassandra}, {@code PATH} with
     * {@code $CASSANDRA_HOME/bin} in front of the eclipse-temurin base's {@code /opt/java/openjdk/bin},
     * {@code JAVA_HOME=/opt/java/openjdk}, {@code CASSANDRA_VERSION}; Entrypoint {@code docker-entrypoint.sh},
     * Cmd {@code cassandra -f}; its jars in {@code /opt/cassandra/lib}, here {@code hostLibDir}.
     */
    public static Image cassandra(String name, String cassandraVersion, Path hostLibDir) {
        return image(name)
                .env("PATH=/opt/cassandra/bin:/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
                        + ":/sbin:/bin")
                .env("JAVA_HOME=/opt/java/openjdk")
                .env("LANG=en_US.UTF-8")
                .env("CASSANDRA_HOME=/opt/cassandra")
                .env("CASSANDRA_CONF=/etc/cassandra")
                .env("CASSANDRA_VERSION=" + cassandraVersion)
                .entrypoint("docker-entrypoint.sh")
                .cmd("cassandra", "-f")
                .file(CASSANDRA_LIB, hostLibDir)
                .build();
    }

    /** Where the official Cassandra images keep their jars. */
    public static final String CASSANDRA_LIB = "/opt/cassandra/lib";

    Pull pull(String name) {
        String normalized = normalize(name);
        Image image = images.get(normalized);
        if (image != null) {
            return new Pulled(image);
        }
        String repository = repository(normalized);
        boolean knownRepository = images.keySet().stream().anyMatch(n -> repository(n).equals(repository));
        return new PullFailed("Unexpected HTTP response '" + (knownRepository ? "404 Not Found" : "401 Unauthorized")
                + "' when trying to get the manifest");
    }

    /** Docker's reference rules, enough for lookups: default tag {@code latest}, Docker Hub's implicit names. */
    static String normalize(String name) {
        String n = name;
        for (String prefix : List.of("docker.io/", "registry-1.docker.io/", "index.docker.io/")) {
            if (n.startsWith(prefix)) {
                n = n.substring(prefix.length());
            }
        }
        if (n.startsWith("library/")) {
            n = n.substring("library/".length());
        }
        int slash = n.lastIndexOf('/');
        boolean hasTagOrDigest = n.indexOf(':', slash + 1) >= 0 || n.contains("@");
        return hasTagOrDigest ? n : n + ":latest";
    }

    private static String repository(String normalized) {
        int at = normalized.indexOf('@');
        if (at >= 0) {
            return normalized.substring(0, at);
        }
        int colon = normalized.lastIndexOf(':');
        return colon > normalized.lastIndexOf('/') ? normalized.substring(0, colon) : normalized;
    }

    public static final class Builder {
        private final String name;
        private String workingDir = "";
        private String user = "";
        private final List<String> env = new ArrayList<>();
        private final List<String> entrypoint = new ArrayList<>();
        private final List<String> cmd = new ArrayList<>();
        private final Map<String, Path> files = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder workingDir(String dir) {
            workingDir = dir;
            return this;
        }

        public Builder user(String u) {
            user = u;
            return this;
        }

        /** One {@code NAME=value} entry of the manifest's Env. */
        public Builder env(String entry) {
            env.add(entry);
            return this;
        }

        public Builder entrypoint(String... argv) {
            entrypoint.clear();
            entrypoint.addAll(List.of(argv));
            return this;
        }

        public Builder cmd(String... argv) {
            cmd.clear();
            cmd.addAll(List.of(argv));
            return this;
        }

        /** The image holds {@code imagePath}; here it is {@code hostPath}. */
        public Builder file(String imagePath, Path hostPath) {
            files.put(imagePath, hostPath);
            return this;
        }

        public Image build() {
            return new Image(name, workingDir, user, env, entrypoint, cmd, files);
        }
    }
}
