package io.snapci.tests.mesos.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fetcher's extraction ({@code extract}, mesos 1.11.0 {@code src/launcher/fetcher.cpp:63-140}): by the file's
 * suffix — {@code .tar .tgz .tar.gz .tbz2 .tar.bz2 .txz .tar.xz .zip} are unpacked into the sandbox (libarchive with
 * {@code ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_NODOTDOT}: modes under the umask, owner not restored,
 * {@code ..} refused — here GNU tar / unzip with the same effect), a bare {@code .gz} is {@code gunzip -d -c}'d into
 * the sandbox without its suffix, anything else is not an archive. It runs as the fetcher runs: as the task's user
 * ({@code os::su}, fetcher.cpp:584-593).
 */
final class Archives {

    private static final List<String> LIBARCHIVE_SUFFIXES = List.of(".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2",
            ".txz", ".tar.xz", ".zip");

    /** The extraction failed; the text is the fetcher's. */
    static final class ExtractFailure extends Exception {
        ExtractFailure(String message) {
            super(message);
        }
    }

    private Archives() {
    }

    /** Extracts {@code source} into {@code directory} as {@code user}; false when it is not an archive. */
    static boolean extract(Path source, Path directory, UserAccount user) throws ExtractFailure {
        String name = source.getFileName().toString();
        if (LIBARCHIVE_SUFFIXES.stream().anyMatch(name::endsWith)) {
            List<String> command = name.endsWith(".zip")
                    ? List.of("unzip", "-o", "-q", source.toString(), "-d", directory.toString())
                    : List.of("tar", "-x", "-f", source.toString(), "-C", directory.toString(), "--no-same-owner",
                            "--no-same-permissions");
            HostCommand.Result result = HostCommand.run(asUser(user, command));
            if (!result.ok()) {
                throw new ExtractFailure("Failed to extract archive '" + source + "' to '" + directory + "': "
                        + result.stderr().trim());
            }
            return true;
        }
        if (name.endsWith(".gz")) {
            Path destination = directory.resolve(name.substring(0, name.length() - 3));
            HostCommand.Result result = HostCommand.run(asUser(user, List.of("gunzip", "-d", "-c")), source,
                    destination);
            if (!result.ok()) {
                throw new ExtractFailure("Failed to extract '" + source + "': 'gunzip -d -c' failed: exited with"
                        + " status " + result.exitCode());
            }
            AgentPaths.chown(destination, user);
            return true;
        }
        return false;
    }

    /** The command as {@code user} (no switch when that is the agent's own user). */
    static List<String> asUser(UserAccount user, List<String> command) {
        if (user.uid() == UserAccount.agentUser().uid()) {
            return command;
        }
        List<String> line = new ArrayList<>(List.of(HostCommand.locate("setpriv"), "--reuid=" + user.uid(),
                "--regid=" + user.gid(), "--init-groups", "--"));
        line.addAll(command);
        return line;
    }
}
