package io.snapci.tests.mesos.agent;

import java.nio.file.Path;
import java.util.Map;

/**
 * What stands in for {@code dvdcli} and the volume driver on an executing agent: a {@code DOCKER_VOLUME}
 * (driver, name, driver options) is "mounted" by asking for the host directory that holds the volume's data.
 *
 * <p>The real agent's {@code docker/volume} isolator runs {@code dvdcli mount --volumedriver=<driver>
 * --volumename=<name> [--volumeopts=k=v ...]} and takes its trimmed stdout as the host mount point; a non-zero exit
 * fails the task's launch with {@code "Unexpected termination of the subprocess: " + <dvdcli's stderr>} (mesos
 * 1.11.0 {@code src/slave/containerizer/mesos/isolators/docker/volume/driver.cpp:59-147}). When the container is
 * destroyed it runs {@code dvdcli unmount} unless another container still uses the volume (isolator.cpp:610-674).
 * An agent that dies unmounts nothing: the volume stays attached to it.
 *
 * <p>Note for implementers: plain {@code dvdcli mount} creates a volume that does not exist (no
 * {@code --explicitcreate}); with {@code pxd} a mistyped name mounts a new, empty volume rather than failing.
 */
public interface DockerVolumeResolver {

    /** The mount failed; {@code stderr} is what the driver printed (it becomes the launch error's tail). */
    final class MountFailure extends Exception {
        private final String stderr;

        public MountFailure(String stderr) {
            super(stderr);
            this.stderr = stderr;
        }

        public String stderr() {
            return stderr;
        }
    }

    /** The host directory holding the volume, mounted for a container; or the driver's failure. */
    Path mount(String driver, String name, Map<String, String> options) throws MountFailure;

    /** The last container using the volume on this agent is gone. */
    default void unmount(String driver, String name) {
    }

    /** No volume driver installed: every mount fails as docker's plugin lookup does. */
    static DockerVolumeResolver none() {
        return (driver, name, options) -> {
            throw new MountFailure("Error looking up volume plugin " + driver + ": plugin \"" + driver
                    + "\" not found\n");
        };
    }
}
