package io.snapci.tests.mesos.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How an executing agent runs on this machine: its work directory, the images it can pull, how it mounts docker
 * volumes, and the few agent flags that change what a task sees.
 *
 * <pre>{@code
 * AgentRuntime.builder()
 *         .images(ImageCatalogue.of(ImageCatalogue.cassandra("cassandra:5.0", "5.0.2", cassandraLib)))
 *         .volumes(portworxPeer::hostDirectory)
 *         .build()
 * }</pre>
 *
 * @param workDir            the agent's {@code --work_dir}; empty: a fresh directory under the system's temp
 *                           directory, removed (without following links into volumes) when the agent closes
 * @param images             the images the agent can pull
 * @param volumes            resolves {@code DOCKER_VOLUME}s to host directories
 * @param containerIp        {@code MESOS_CONTAINER_IP}: the executor's libprocess IP
 *                           ({@code src/launcher/default_executor.cpp:421-439}); every agent here is on 127.0.0.1
 * @param networkCni         whether the agent runs the {@code network/cni} isolator (DC/OS agents do): it adds
 *                           {@code LIBPROCESS_IP=0.0.0.0} to every container's environment
 *                           ({@code src/slave/containerizer/mesos/isolators/network/cni/cni.cpp:774-782})
 * @param memoryPollInterval how often container memory is measured against its limit (the kernel's OOM is
 *                           immediate; the peer notices within this interval)
 * @param secretIsolator     the resolver of the agent's {@code volume/secret} isolator ({@link SecretVolumes}), when
 *                           its {@code --isolation} has it (DC/OS agents' does; Mesos' default does not); empty:
 *                           a task's secret volumes are ignored, as no isolator of the agent acts on them
 * @param hostPathIsolator   the directories the agent's {@code --host_path_volume_force_creation} lists, when its
 *                           {@code --isolation} has {@code volume/host_path} ({@link HostPathVolumes}); empty: the
 *                           isolator does not run and HOST_PATH volumes are ignored
 */
public record AgentRuntime(Optional<Path> workDir, ImageCatalogue images, DockerVolumeResolver volumes,
        String containerIp, boolean networkCni, Duration memoryPollInterval, Optional<SecretResolver> secretIsolator,
        Optional<List<Path>> hostPathIsolator) {

    public AgentRuntime {
        Objects.requireNonNull(workDir);
        Objects.requireNonNull(images);
        Objects.requireNonNull(volumes);
        Objects.requireNonNull(containerIp);
        Objects.requireNonNull(memoryPollInterval);
        Objects.requireNonNull(secretIsolator);
        Objects.requireNonNull(hostPathIsolator);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No images, no volume driver, a temporary work directory. */
    public static AgentRuntime defaults() {
        return builder().build();
    }

    public static final class Builder {
        private Path workDir;
        private ImageCatalogue images = ImageCatalogue.empty();
        private DockerVolumeResolver volumes = DockerVolumeResolver.none();
        private SecretResolver secretIsolator;
        private List<Path> hostPathIsolator;

        private Builder() {
        }

        public Builder workDir(Path dir) {
            workDir = dir;
            return this;
        }

        public Builder images(ImageCatalogue catalogue) {
            images = catalogue;
            return this;
        }

        public Builder volumes(DockerVolumeResolver resolver) {
            volumes = resolver;
            return this;
        }

        /** The agent runs {@code volume/secret}, its secrets resolved by {@code resolver}. */
        public Builder secretIsolator(SecretResolver resolver) {
            secretIsolator = resolver;
            return this;
        }

        /** The agent runs {@code volume/host_path}; it may create missing host paths below {@code forceCreation}. */
        public Builder hostPathIsolator(Path... forceCreation) {
            hostPathIsolator = List.of(forceCreation);
            return this;
        }

        /** Every agent of the tests is on 127.0.0.1, without the network/cni isolator, measuring memory every 50 ms. */
        public AgentRuntime build() {
            return new AgentRuntime(Optional.ofNullable(workDir), images, volumes, "127.0.0.1", false,
                    Duration.ofMillis(50), Optional.ofNullable(secretIsolator), Optional.ofNullable(hostPathIsolator));
        }
    }
}
