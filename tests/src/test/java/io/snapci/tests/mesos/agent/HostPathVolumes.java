package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Volume;

/**
 * The {@code volume/host_path} isolator of one agent, when the agent runs it (mesos 1.11.0
 * {@code src/slave/containerizer/mesos/isolators/volume/host_path.cpp}, "HP" below):
 * <ul>
 *   <li>a {@code HOST_PATH} source, or the legacy absolute {@code Volume.host_path} (HP:140-175); a source path that
 *       is not absolute is {@code Path '<p>' in HOST_PATH volume is not absolute};</li>
 *   <li>a host path that does not exist is {@code Path '<p>' in HOST_PATH volume does not exist}, unless the agent's
 *       {@code --host_path_volume_force_creation} allows it: then it is made, as a directory (HP:182-209; the
 *       allowance is a list of directories, each allowing itself and what is below it,
 *       src/slave/containerizer/mesos/isolators/volume/utils.cpp:41-52, {@code Path '<p>' is not whitelisted});</li>
 *   <li>a relative {@code container_path} is in the sandbox (HP:261-305); an absolute one with an image is that
 *       path in the image's root, without one it must exist ({@code Mount point '<p>' is an absolute path. It must
 *       exist if the container shares the host filesystem}, HP:249-259).</li>
 * </ul>
 * The bind mount is a symbolic link here, as for {@link DockerVolumes} (the same differences remain); the peer does
 * not pretend to mount over an existing host path without an image.
 */
final class HostPathVolumes {

    /** Not an isolator of this agent: HOST_PATH volumes are ignored, as no isolator of the agent acts on them. */
    static final HostPathVolumes NOT_ISOLATED = new HostPathVolumes(false, List.of());

    private final boolean isolated;
    private final List<Path> forceCreation;

    private HostPathVolumes(boolean isolated, List<Path> forceCreation) {
        this.isolated = isolated;
        this.forceCreation = List.copyOf(forceCreation);
    }

    /** The isolator, with the directories {@code --host_path_volume_force_creation} lists (none: the flag unset). */
    static HostPathVolumes isolating(List<Path> forceCreation) {
        return new HostPathVolumes(true, forceCreation);
    }

    void prepare(ContainerInfo container, Path sandbox, boolean hasImage, Supplier<ContainerRoot> root)
            throws DockerVolumes.PrepareFailure {
        if (!isolated) {
            return;
        }
        for (Volume volume : container.getVolumesList()) {
            Optional<String> hostPath = hostPathOf(volume);
            if (hostPath.isEmpty()) {
                continue;
            }
            Path host = Path.of(hostPath.get());
            if (!Files.exists(host)) {
                create(host, hostPath.get());
            }
            String containerPath = volume.getContainerPath();
            if (!containerPath.startsWith("/")) {
                link(sandbox.resolve(containerPath), host);
            } else if (hasImage) {
                root.get().link(containerPath, host);
            } else if (!Files.exists(Path.of(containerPath))) {
                throw new DockerVolumes.PrepareFailure("Mount point '" + containerPath + "' is an absolute path. It "
                        + "must exist if the container shares the host filesystem");
            } else {
                throw new DockerVolumes.PrepareFailure("peer agent: a host path mounted over the existing host path "
                        + containerPath + " without an image is not modelled");
            }
        }
    }

    private static Optional<String> hostPathOf(Volume volume) throws DockerVolumes.PrepareFailure {
        if (volume.hasSource() && volume.getSource().getType() == Volume.Source.Type.HOST_PATH) {
            String path = volume.getSource().getHostPath().getPath();
            if (!path.startsWith("/")) {
                throw new DockerVolumes.PrepareFailure("Path '" + path + "' in HOST_PATH volume is not absolute");
            }
            return Optional.of(path);
        }
        return volume.hasHostPath() && volume.getHostPath().startsWith("/") ? Optional.of(volume.getHostPath())
                : Optional.empty();
    }

    private void create(Path host, String asGiven) throws DockerVolumes.PrepareFailure {
        if (forceCreation.isEmpty()) {
            throw new DockerVolumes.PrepareFailure("Path '" + asGiven + "' in HOST_PATH volume does not exist");
        }
        Path normalized = host.normalize();
        if (forceCreation.stream().noneMatch(allowed -> normalized.equals(allowed) || normalized.startsWith(allowed))) {
            throw new DockerVolumes.PrepareFailure("Path '" + asGiven + "' in HOST_PATH volume does not exist and is "
                    + "not whitelisted for creation: Path '" + normalized + "' is not whitelisted");
        }
        try {
            Files.createDirectories(normalized);
        } catch (IOException e) {
            throw new DockerVolumes.PrepareFailure("Failed to create the host path at '" + asGiven + "': "
                    + e.getMessage());
        }
    }

    private static void link(Path mountPoint, Path host) throws DockerVolumes.PrepareFailure {
        try {
            Files.createDirectories(mountPoint.getParent());
            Files.deleteIfExists(mountPoint);
            Files.createSymbolicLink(mountPoint, host);
        } catch (IOException e) {
            throw new DockerVolumes.PrepareFailure("Failed to create the mount point at '" + mountPoint + "': "
                    + e.getMessage());
        }
    }
}
