package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.Volume;

/**
 * The {@code volume/secret} isolator of one agent (mesos 1.11.0
 * {@code src/slave/containerizer/mesos/isolators/volume/secret.cpp}, "VS" below), when the agent runs it:
 * <ul>
 *   <li>only {@code SECRET} sources; one without {@code source.secret} is
 *       {@code volume.source.secret is not specified} (VS:173-175), an invalid one
 *       {@code Invalid secret specified in volume: <why>} ({@code common::validation::validateSecret},
 *       src/common/validation.cpp:107-141; VS:182-187);</li>
 *   <li>the target: a relative {@code container_path} is in the task's sandbox, with or without an image
 *       (VS:219-253); an absolute one without an image must exist on the host ({@code Absolute container path '<p>'
 *       does not exist}, VS:210-218), with an image it is made in the image's root (VS:191-209);</li>
 *   <li>each secret is resolved by the agent's {@link SecretResolver}; a failure fails the launch with the
 *       resolver's text, before the task's process exists (VS:285-305);</li>
 *   <li>the value is put on a ramfs mounted in the container alone and bind-mounted at the target, read-only for
 *       {@code RO} (VS:161-163, 277-283); the container's end takes the ramfs with it (VS:309-327).</li>
 * </ul>
 *
 * <p>Without a mount namespace the value is written into the target file itself (mode 0444), and emptied when the
 * container is destroyed — what a real sandbox then holds is the empty mount point VS:247 touched. Differences that
 * remain: while the container runs, the agent's {@code /files} API here reads the value, where a real agent shows
 * the empty mount point; the file can be deleted, where a real bind mount cannot.
 */
final class SecretVolumes {

    /** A container's secret files, emptied when it is destroyed. */
    record Written(List<Path> files) {
    }

    /** Not an isolator of this agent: the secret volumes of a task are ignored, as Mesos ignores them then. */
    static final SecretVolumes NOT_ISOLATED = new SecretVolumes(null);

    private final SecretResolver resolver;

    private SecretVolumes(SecretResolver resolver) {
        this.resolver = resolver;
    }

    static SecretVolumes of(Optional<SecretResolver> resolver) {
        return resolver.map(SecretVolumes::new).orElse(NOT_ISOLATED);
    }

    /**
     * Resolves the container's secret volumes and writes each where the task will read it.
     *
     * @param root the container's root stand-in, made on first need (an absolute path with an image)
     */
    Written prepare(ContainerInfo container, Path sandbox, boolean hasImage, Supplier<ContainerRoot> root)
            throws DockerVolumes.PrepareFailure {
        if (resolver == null) {
            return new Written(List.of());
        }
        List<Path> written = new ArrayList<>();
        try {
            for (Volume volume : container.getVolumesList()) {
                if (!volume.hasSource() || volume.getSource().getType() != Volume.Source.Type.SECRET) {
                    continue;
                }
                if (!volume.getSource().hasSecret()) {
                    throw new DockerVolumes.PrepareFailure("volume.source.secret is not specified");
                }
                Secret secret = volume.getSource().getSecret();
                Optional<String> invalid = invalid(secret);
                if (invalid.isPresent()) {
                    throw new DockerVolumes.PrepareFailure("Invalid secret specified in volume: " + invalid.get());
                }
                Path target = target(volume.getContainerPath(), sandbox, hasImage, root);
                Files.createDirectories(target.getParent());
                if (!Files.exists(target)) {
                    Files.createFile(target); // the mount point, made before the secret is resolved (VS:240-252)
                }
                written.add(target);
                byte[] value;
                try {
                    value = resolver.resolve(secret);
                } catch (SecretResolver.ResolveFailure e) {
                    throw new DockerVolumes.PrepareFailure(e.getMessage());
                }
                Files.write(target, value);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--r--r--"));
            }
        } catch (IOException e) {
            release(new Written(written));
            throw new UncheckedIOException(e);
        } catch (DockerVolumes.PrepareFailure e) {
            release(new Written(written));
            throw e;
        }
        return new Written(List.copyOf(written));
    }

    /** The container is destroyed: its ramfs is gone, the sandbox keeps the empty mount points. */
    void release(Written written) {
        for (Path file : written.files()) {
            try {
                if (Files.exists(file)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                    Files.write(file, new byte[0]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Path target(String containerPath, Path sandbox, boolean hasImage, Supplier<ContainerRoot> root)
            throws DockerVolumes.PrepareFailure {
        if (!containerPath.startsWith("/")) {
            return sandbox.resolve(containerPath);
        }
        if (hasImage) {
            return root.get().resolve(containerPath);
        }
        if (!Files.exists(Path.of(containerPath))) {
            throw new DockerVolumes.PrepareFailure("Absolute container path '" + containerPath + "' does not exist");
        }
        // A real agent mounts over the host's file inside the container's mount namespace only; writing the value
        // there would change the host's file for everyone, so the peer does not pretend to.
        throw new DockerVolumes.PrepareFailure("peer agent: a secret at an absolute path without an image is not "
                + "modelled (it would overwrite the host's " + containerPath + ")");
    }

    /** {@code common::validation::validateSecret} (src/common/validation.cpp:107-141). */
    static Optional<String> invalid(Secret secret) {
        return switch (secret.getType()) {
            case REFERENCE -> !secret.hasReference()
                    ? Optional.of("Secret of type REFERENCE must have the 'reference' field set")
                    : secret.hasValue() ? Optional.of("Secret '" + secret.getReference().getName() + "' of type "
                    + "REFERENCE must not have the 'value' field set") : Optional.empty();
            case VALUE -> !secret.hasValue()
                    ? Optional.of("Secret of type VALUE must have the 'value' field set")
                    : secret.hasReference() ? Optional.of("Secret of type VALUE must not have the 'reference' field "
                    + "set") : Optional.empty();
            default -> Optional.empty();
        };
    }
}
