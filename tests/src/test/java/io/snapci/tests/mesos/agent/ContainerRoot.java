package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for a container's root filesystem. There is no mount namespace or chroot here, so a container's
 * {@code /} is a directory of the agent ({@code provisioner/containers/.../rootfses/<uuid>}, where the real
 * provisioner puts an image's rootfs) holding what the task may look up by a path inside the container, each as a
 * symbolic link to where it really is on this machine:
 * <ul>
 *   <li>the image's catalogued files (e.g. {@code /opt/cassandra/lib} → the Cassandra jars of this build);</li>
 *   <li>docker volumes mounted at absolute container paths (e.g. {@code /var/lib/cassandra} → the volume's
 *       directory);</li>
 *   <li>{@code /mnt/mesos/sandbox} → the task's sandbox (agent flag {@code --sandbox_directory},
 *       {@code src/slave/flags.cpp:1013-1021});</li>
 *   <li>the image's WorkingDir, created empty and owned by root, as the launch helper creates a missing working
 *       directory ({@code src/slave/containerizer/mesos/launch.cpp:1038-1068}).</li>
 * </ul>
 * The task learns where this directory is from {@link #ENV} (a peer-only variable; real Mesos never sets it, and
 * there {@code /} is the container's root).
 */
final class ContainerRoot {

    /** Peer-only: the directory of this machine that stands for the container's {@code /}. */
    static final String ENV = "PEER_CONTAINER_ROOT";

    private final Path dir;

    ContainerRoot(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Where the absolute container path {@code path} is in this stand-in. */
    Path resolve(String path) {
        return dir.resolve(path.replaceFirst("^/+", ""));
    }

    /** Makes {@code containerPath} lead to {@code target} on this machine. */
    void link(String containerPath, Path target) {
        Path link = resolve(containerPath);
        try {
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot expose " + target + " at " + containerPath + " in " + dir, e);
        }
    }

    /** A directory of the container, created (as root) when missing. */
    Path directory(String containerPath) {
        Path d = resolve(containerPath);
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }
}
