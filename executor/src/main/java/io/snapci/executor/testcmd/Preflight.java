package io.snapci.executor.testcmd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks a test command before anything expensive (copying data, booting Cassandra) happens, so that a typo costs
 * seconds instead of minutes. It only rejects what certainly cannot work; anything it cannot judge statically
 * (expansions, subshells, ...) is left to bash.
 */
final class Preflight {

    /** A {@code command -v} lookup is instant; the limit only guards against a hanging shell startup. */
    private static final long LOOKUP_TIMEOUT_SECONDS = 10;

    private Preflight() {
    }

    static void check(String command, Path workDir, Map<String, String> env) throws TestCommandException {
        checkWorkDir(workDir);
        if (command == null || command.isBlank()) {
            throw new TestCommandException("The test command is empty. Pass the command that runs your tests with "
                    + "--test-cmd, e.g. --test-cmd 'mvn -B test'.");
        }
        CommandWord.Parsed first = CommandWord.first(command);
        if (first.kind() != CommandWord.Kind.WORD) {
            return;
        }
        Map<String, String> fullEnv = environment(env);
        if (first.word().contains("/")) {
            checkPath(first.word(), workDir);
        } else if (!bashFinds(first.word(), workDir, fullEnv)) {
            throw new TestCommandException("Test command '" + first.word() + "' was not found (in " + workDir
                    + ", PATH=" + fullEnv.getOrDefault("PATH", "") + "). Check --test-cmd: is the tool installed and "
                    + "on the PATH?");
        }
    }

    /** The environment the command will see: the inherited one with the run's additions on top. */
    static Map<String, String> environment(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(System.getenv());
        if (env != null) {
            all.putAll(env);
        }
        return all;
    }

    private static void checkWorkDir(Path workDir) throws TestCommandException {
        if (workDir == null) {
            throw new TestCommandException("No directory to run the test command in. Pass one with --workdir.");
        }
        if (!Files.exists(workDir)) {
            throw new TestCommandException("The test command's directory " + workDir + " does not exist. Check "
                    + "--workdir (default: the current directory).");
        }
        if (!Files.isDirectory(workDir)) {
            throw new TestCommandException("The test command's directory " + workDir + " is not a directory. "
                    + "Check --workdir: it must name the directory the tests run in.");
        }
    }

    /** A word with a slash is run as that file, relative to the work dir: PATH plays no part. */
    private static void checkPath(String word, Path workDir) throws TestCommandException {
        Path file = workDir.resolve(word);
        if (!Files.exists(file)) {
            throw new TestCommandException("Test command '" + word + "' does not exist (looked for " + file
                    + "). Check --test-cmd and --workdir: the path is relative to the directory the tests run in.");
        }
        if (Files.isDirectory(file)) {
            throw new TestCommandException("Test command '" + word + "' is a directory (" + file + "), not a "
                    + "program. Check --test-cmd.");
        }
        if (!Files.isExecutable(file)) {
            throw new TestCommandException("Test command '" + word + "' is not executable (" + file + "). Make it "
                    + "executable (chmod +x " + word + ", and commit that) or run it through its interpreter, "
                    + "e.g. --test-cmd 'bash " + word + " ...'.");
        }
    }

    /**
     * Asks bash itself, in the command's directory and environment, so that builtins, keywords, functions exported
     * in the environment and PATH entries relative to the work dir all count exactly as they will when it runs.
     */
    private static boolean bashFinds(String word, Path workDir, Map<String, String> env) throws TestCommandException {
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", "-c", "command -v -- \"$1\"", "_", word))
                .directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TestCommandException("Cannot start bash to run the test command (" + e.getMessage() + "). "
                    + "snapci runs --test-cmd with bash: install it and put it on the PATH.");
        }
        try {
            if (!process.waitFor(LOOKUP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return true; // cannot tell: let the run itself report it
            }
            return process.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            process.destroyForcibly();
        }
    }
}
