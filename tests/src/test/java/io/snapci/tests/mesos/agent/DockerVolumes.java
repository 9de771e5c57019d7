package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Parameter;
import org.apache.mesos.v1.Protos.Volume;

/**
 * The {@code docker/volume} isolator of one agent (mesos 1.11.0
 * {@code src/slave/containerizer/mesos/isolators/docker/volume/isolator.cpp:360-604}), with the
 * {@link DockerVolumeResolver} in place of {@code dvdcli}:
 * <ul>
 *   <li>only {@code DOCKER_VOLUME} sources; a missing driver is
 *       {@code The volume driver is not specified for volume '<name>' with container <id>}, the same driver and
 *       name twice {@code Found duplicate docker volume with driver '<d>' and name '<n>'};</li>
 *   <li>the target: an absolute {@code container_path} with an image is that path in the image's root; without an
 *       image it must exist on the host ({@code Absolute container path '<p>' does not exist}); a relative one is
 *       in the task's sandbox, with or without an image (the sandbox is the container's
 *       {@code /mnt/mesos/sandbox});</li>
 *   <li>all mounts are asked for, then every failure is reported, joined by newlines; the launch fails before the
 *       task's process exists;</li>
 *   <li>a volume is unmounted when the last container using it on this agent is destroyed (:610-674).</li>
 * </ul>
 *
 * <p>The mount itself, without a mount namespace: for a relative {@code container_path} the sandbox gets a symbolic
 * link of that name to the volume's directory, so {@code $MESOS_SANDBOX/<container_path>} is the volume's data on
 * a real agent and here alike. For an absolute path the link is made in the {@link ContainerRoot}, and the task
 * finds it under {@code $PEER_CONTAINER_ROOT}. Differences that remain: the link is a link (a file walk that does not
 * follow links stops at it; resolve it with {@code toRealPath()}); {@code RO} is not enforced; the agent's
 * {@code /files} API, which on a real agent shows an empty mount point (the mount lives in the container's
 * namespace), refuses the link's target as outside the sandbox.
 */
final class DockerVolumes {

    /** A volume as the isolator knows it. */
    record Key(String driver, String name) {
    }

    /** A container's mounted volumes, to be unmounted when it is destroyed. */
    record Mounted(List<Key> volumes) {
    }

    /** The isolator's prepare failed; the text is the launch error. */
    static final class PrepareFailure extends Exception {
        PrepareFailure(String message) {
            super(message);
        }
    }

    private final DockerVolumeResolver resolver;
    private final Map<Key, Integer> references = new HashMap<>();

    DockerVolumes(DockerVolumeResolver resolver) {
        this.resolver = resolver;
    }

    private record Request(Key key, Map<String, String> options, String containerPath) {
    }

    /**
     * Mounts the container's docker volumes and links each where the task will look for it.
     *
     * @param root the container's root stand-in, made on first need (image or absolute path)
     */
    synchronized Mounted prepare(ContainerInfo container, String containerId, Path sandbox, boolean hasImage,
            Supplier<ContainerRoot> root) throws PrepareFailure {
        List<Request> requests = new ArrayList<>();
        Set<Key> seen = new HashSet<>();
        for (Volume volume : container.getVolumesList()) {
            if (!volume.hasSource() || volume.getSource().getType() != Volume.Source.Type.DOCKER_VOLUME) {
                continue;
            }
            Volume.Source.DockerVolume docker = volume.getSource().getDockerVolume();
            if (!docker.hasDriver()) {
                throw new PrepareFailure("The volume driver is not specified for volume '" + docker.getName()
                        + "' with container " + containerId);
            }
            Key key = new Key(docker.getDriver(), docker.getName());
            if (!seen.add(key)) {
                throw new PrepareFailure("Found duplicate docker volume with driver '" + key.driver()
                        + "' and name '" + key.name() + "'");
            }
            String path = volume.getContainerPath();
            if (path.startsWith("/") && !hasImage && !Files.exists(Path.of(path))) {
                throw new PrepareFailure("Absolute container path '" + path + "' does not exist");
            }
            Map<String, String> options = new LinkedHashMap<>();
            for (Parameter p : docker.getDriverOptions().getParameterList()) {
                options.put(p.getKey(), p.getValue());
            }
            requests.add(new Request(key, options, path));
        }
        if (requests.isEmpty()) {
            return new Mounted(List.of());
        }
        List<String> failures = new ArrayList<>();
        Map<Request, Path> sources = new LinkedHashMap<>();
        for (Request r : requests) {
            try {
                sources.put(r, resolver.mount(r.key().driver(), r.key().name(), r.options()));
                references.merge(r.key(), 1, Integer::sum);
            } catch (DockerVolumeResolver.MountFailure e) {
                failures.add("Unexpected termination of the subprocess: " + e.stderr());
            }
        }
        if (!failures.isEmpty()) {
            // the isolator's cleanup unmounts what this container did mount
            release(new Mounted(List.copyOf(sources.keySet().stream().map(Request::key).toList())));
            throw new PrepareFailure(String.join("\n", failures));
        }
        for (Map.Entry<Request, Path> e : sources.entrySet()) {
            String path = e.getKey().containerPath();
            if (path.startsWith("/")) {
                root.get().link(path, e.getValue());
            } else {
                link(sandbox.resolve(path), e.getValue());
            }
        }
        return new Mounted(List.copyOf(sources.keySet().stream().map(Request::key).toList()));
    }

    /** The container is destroyed: unmount what no other container of this agent still uses. */
    synchronized void release(NestedContainer container) {
        if (container.volumesReleased) {
            return;
        }
        container.volumesReleased = true;
        release(container.volumes);
    }

    private void release(Mounted mounted) {
        for (Key key : mounted.volumes()) {
            int left = references.merge(key, -1, Integer::sum);
            if (left <= 0) {
                references.remove(key);
                resolver.unmount(key.driver(), key.name());
            }
        }
    }

    private static void link(Path at, Path target) {
        try {
            Files.createDirectories(at.getParent());
            if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(at); // a directory the fetcher made there would be covered by the mount
            }
            Files.createSymbolicLink(at, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot expose volume " + target + " at " + at, e);
        }
    }
}
