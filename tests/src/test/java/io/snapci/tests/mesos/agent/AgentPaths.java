package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where an agent keeps things under its {@code --work_dir}, laid out as mesos 1.11.0 does it:
 * <ul>
 *   <li>executor sandbox {@code slaves/<agent>/frameworks/<framework>/executors/<executor>/runs/<container>} and the
 *       {@code runs/latest} symlink to it ({@code src/slave/paths.cpp:79-82, 252-301, 845-860});</li>
 *   <li>a task's own (nested) sandbox {@code <executor sandbox>/containers/<task container>}
 *       ({@code src/slave/containerizer/mesos/paths.cpp:475-485});</li>
 *   <li>an image's root filesystem {@code provisioner/containers/<container>/backends/copy/rootfses/<uuid>}
 *       ({@code src/slave/containerizer/mesos/provisioner/provisioner.cpp:583-600});</li>
 *   <li>the fetcher cache {@code fetch/<user>/} (agent flag {@code --fetcher_cache_dir}, default
 *       {@code <tmp>/mesos/fetch}, {@code src/slave/flags.cpp:303-312}; per user,
 *       {@code src/slave/containerizer/fetcher.cpp:383-387}).</li>
 * </ul>
 */
final class AgentPaths {

    private final Path workDir;
    private final String agentId;

    AgentPaths(Path workDir, String agentId) {
        this.workDir = workDir;
        this.agentId = agentId;
    }

    Path workDir() {
        return workDir;
    }

    Path executorRunDir(String frameworkId, String executorId, String containerId) {
        return runsDir(frameworkId, executorId).resolve(containerId);
    }

    Path latestRun(String frameworkId, String executorId) {
        return runsDir(frameworkId, executorId).resolve("latest");
    }

    static Path nestedSandbox(Path executorSandbox, String containerId) {
        return executorSandbox.resolve("containers").resolve(containerId);
    }

    Path rootfs(String executorContainerId, String containerId, String rootfsId) {
        return workDir.resolve("provisioner").resolve("containers").resolve(executorContainerId)
                .resolve("containers").resolve(containerId).resolve("backends").resolve("copy").resolve("rootfses")
                .resolve(rootfsId);
    }

    Path fetcherCache() {
        return workDir.resolve("fetch");
    }

    private Path runsDir(String frameworkId, String executorId) {
        return workDir.resolve("slaves").resolve(agentId).resolve("frameworks").resolve(frameworkId)
                .resolve("executors").resolve(executorId).resolve("runs");
    }

    /**
     * {@code slave::paths::createSandboxDirectory} ({@code src/slave/paths.cpp:869-901}): mkdir, mode 0750, owner the
     * user (not recursive); on a chown failure the directory is removed again. Returns the error text, if any.
     */
    static Optional<String> createSandboxDirectory(Path directory, String user) {
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-x---"));
        } catch (IOException e) {
            return Optional.of("Failed to create directory: " + e.getMessage());
        }
        Optional<UserAccount> account = UserAccount.lookup(user);
        if (account.isEmpty()) {
            try {
                Files.deleteIfExists(directory);
            } catch (IOException ignored) {
                // os::rmdir's result is not checked either
            }
            return Optional.of("Failed to chown directory to '" + user + "': " + UserAccount.noSuchUser(user));
        }
        try {
            chown(directory, account.get());
        } catch (UncheckedIOException e) {
            return Optional.of("Failed to chown directory to '" + user + "': " + e.getCause().getMessage());
        }
        return Optional.empty();
    }

    /** {@code lchown} of one path to the user's uid and primary gid. */
    static void chown(Path path, UserAccount account) {
        try {
            Files.setAttribute(path, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Owner of everything under {@code root} (links themselves, never their targets), as the fetcher's user. */
    static void chownTree(Path root, UserAccount account) {
        try (var paths = Files.walk(root)) {
            paths.forEach(p -> chown(p, account));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes a tree without ever following a symbolic link: a docker volume appears in a sandbox as a link to the
     * volume's directory, and removing the sandbox must leave the volume's data alone.
     */
    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) { // walk does not follow links: a link is visited as a file
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + root, e);
        }
    }
}
