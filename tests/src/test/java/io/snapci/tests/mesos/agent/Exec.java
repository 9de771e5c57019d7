package io.snapci.tests.mesos.agent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last step of a launch, what {@code mesos-containerizer launch} does after the agent let it go (mesos 1.11.0
 * {@code src/slave/containerizer/mesos/launch.cpp}):
 * <ul>
 *   <li>switch to the task's user — uid, primary gid and supplementary groups — unless it is the agent's own
 *       (:909-957); here with util-linux {@code setpriv};</li>
 *   <li>{@code chdir} into the working directory, created if missing (:1038-1068);</li>
 *   <li>{@code shell: true} → {@code sh -c <value>}; otherwise {@code value} with {@code arguments} as argv, so
 *       {@code arguments[0]} is argv[0] (:1172-1200); a relative executable is looked up in the working directory
 *       first (:1177-1189), then on the PATH of the task's own environment ({@code execvpe} with that environment);</li>
 *   <li>exec with exactly the task's environment; if the exec fails, {@code Failed to execute '<exe>': <error>} on
 *       stderr and exit status 1 (:1332-1342).</li>
 * </ul>
 * Every container gets a session of its own ({@code setsid}), so everything it starts can be found and killed.
 */
final class Exec {

    /** The command after the docker runtime isolator merged it with the image's Entrypoint/Cmd. */
    record Command(boolean shell, String value, List<String> arguments) {
    }

    /** What was started, or why the exec failed (the line the launch helper prints before it exits 1). */
    sealed interface Outcome permits Started, ExecFailed {
    }

    record Started(ContainerProcess process) implements Outcome {
    }

    record ExecFailed(String stderrLine) implements Outcome {
    }

    private static final String SETSID = HostCommand.locate("setsid");
    private static final String SETPRIV = HostCommand.locate("setpriv");
    private static final String BASH = HostCommand.locate("bash");

    /** Fails at once, with what to install, when this machine lacks a program the agent runs. */
    static void requireHostPrograms() {
        for (String program : new String[] {"id", "tar", "gzip", "gunzip"}) {
            HostCommand.locate(program);
        }
    }

    private Exec() {
    }

    /**
     * @param user the task's user, or empty to stay the agent's user (the same uid needs no switch)
     */
    static Outcome start(Command command, Path workingDir, Map<String, String> environment,
            Optional<UserAccount> user, Path stdout, Path stderr) throws IOException {
        String executable = command.shell() ? "sh" : command.value();
        List<String> argv = command.shell() ? List.of("sh", "-c", command.value()) : command.arguments();
        Path dir = workingDir;
        Files.createDirectories(dir); // launch.cpp:1050-1056: a missing working directory is created
        Resolution resolved = resolve(executable, dir, environment.get("PATH"), user);
        if (resolved.error() != null) {
            return new ExecFailed("Failed to execute '" + executable + "': " + resolved.error());
        }
        List<String> line = new ArrayList<>();
        line.add(SETSID);
        user.ifPresent(u -> line.addAll(List.of(SETPRIV, "--reuid=" + u.uid(), "--regid=" + u.gid(),
                "--init-groups", "--")));
        String argv0 = argv.isEmpty() ? resolved.path() : argv.get(0);
        if (!argv0.equals(resolved.path())) {
            // execvpe keeps the caller's argv[0]; bash's `exec -a` does the same without an extra process
            line.addAll(List.of(BASH, "-c", "exec -a \"$0\" \"$@\"", argv0));
        }
        line.add(resolved.path());
        line.addAll(argv.isEmpty() ? List.of() : argv.subList(1, argv.size()));
        ProcessBuilder builder = new ProcessBuilder(line)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new Started(new ContainerProcess(builder.start()));
    }

    private record Resolution(String path, String error) {
    }

    /** {@code os::which} in the working directory, then {@code execvpe}'s PATH search; errors as strerror says. */
    private static Resolution resolve(String executable, Path workingDir, String path, Optional<UserAccount> user) {
        if (executable.isEmpty()) {
            return new Resolution(null, "No such file or directory");
        }
        if (!executable.startsWith("/")) {
            Path inWorkingDir = workingDir.resolve(executable);
            if (Files.isRegularFile(inWorkingDir) && executableBy(inWorkingDir, user)) {
                return new Resolution(inWorkingDir.toString(), null);
            }
        }
        if (executable.contains("/")) {
            Path p = workingDir.resolve(executable);
            return check(p, user);
        }
        boolean sawDenied = false;
        for (String dir : (path == null ? "" : path).split(":", -1)) {
            Path candidate = (dir.isEmpty() ? workingDir : workingDir.resolve(dir)).resolve(executable);
            if (Files.isRegularFile(candidate)) {
                if (executableBy(candidate, user)) {
                    return new Resolution(candidate.toString(), null);
                }
                sawDenied = true;
            }
        }
        return new Resolution(null, sawDenied ? "Permission denied" : "No such file or directory");
    }

    private static Resolution check(Path p, Optional<UserAccount> user) {
        if (!Files.exists(p)) {
            return new Resolution(null, "No such file or directory");
        }
        if (!Files.isRegularFile(p) || !executableBy(p, user)) {
            return new Resolution(null, "Permission denied");
        }
        return new Resolution(p.toString(), null);
    }

    /** The execute bit that applies to the user (owner, group or other); root may run anything with an x bit. */
    private static boolean executableBy(Path file, Optional<UserAccount> user) {
        try {
            PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class);
            var perms = attrs.permissions();
            boolean anyX = perms.contains(PosixFilePermission.OWNER_EXECUTE)
                    || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                    || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
            UserAccount who = user.orElseGet(UserAccount::agentUser);
            if (who.uid() == 0) {
                return anyX;
            }
            int owner = (Integer) Files.getAttribute(file, "unix:uid");
            int group = (Integer) Files.getAttribute(file, "unix:gid");
            if (owner == who.uid()) {
                return perms.contains(PosixFilePermission.OWNER_EXECUTE);
            }
            if (group == who.gid()) {
                return perms.contains(PosixFilePermission.GROUP_EXECUTE);
            }
            return perms.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException e) {
            return false;
        }
    }
}
