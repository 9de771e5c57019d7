package io.snapci.executor.testcmd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreflightTest {

    @TempDir
    Path work;

    @Test
    void missingCommandSaysWhereItLookedAndWhatToDo() {
        String message = fails("mvnn -B test", work, Map.of("PATH", "/usr/bin:/bin"));

        assertTrue(message.startsWith("Test command 'mvnn' was not found (in " + work + ", PATH=/usr/bin:/bin)"),
                message);
        assertTrue(message.contains("Check --test-cmd"), message);
    }

    @Test
    void missingCommandAfterAssignmentsIsNamed() {
        assertTrue(fails("FOO=1 BAR='a b' mvnn test", work, Map.of()).startsWith("Test command 'mvnn' was not found"));
    }

    @Test
    void missingOrWrongWorkDir() throws IOException {
        assertTrue(fails("ls", work.resolve("nope"), Map.of()).contains("does not exist. Check --workdir"));
        Path file = Files.createFile(work.resolve("file"));
        assertTrue(fails("ls", file, Map.of()).contains("is not a directory"));
        assertTrue(fails("ls", null, Map.of()).contains("--workdir"));
    }

    @Test
    void blankCommand() {
        assertTrue(fails("  ", work, Map.of()).contains("--test-cmd"));
        assertTrue(fails(null, work, Map.of()).contains("--test-cmd"));
    }

    @Test
    void relativeScripts() throws IOException {
        Path script = Files.writeString(work.resolve("run-tests.sh"), "#!/bin/sh\necho hi\n");
        String notExecutable = fails("./run-tests.sh --fast", work, Map.of());
        assertTrue(notExecutable.contains("'./run-tests.sh' is not executable"), notExecutable);
        assertTrue(notExecutable.contains("chmod +x ./run-tests.sh"), notExecutable);

        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertDoesNotThrow(() -> TestCommandRunner.preflight("./run-tests.sh --fast", work, Map.of()));

        String missing = fails("./gradlew test", work, Map.of());
        assertTrue(missing.contains("'./gradlew' does not exist (looked for " + work.resolve("./gradlew") + ")"),
                missing);
        Files.createDirectories(work.resolve("bin"));
        assertTrue(fails("bin test", work, Map.of()).contains("was not found"));
        assertTrue(fails("./bin test", work, Map.of()).contains("is a directory"));
    }

    @Test
    void commandFoundOnTheRunsOwnPath() throws IOException {
        Path tools = Files.createDirectories(work.resolve("tools"));
        Path tool = Files.writeString(tools.resolve("mytool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertTrue(fails("mytool", work, Map.of()).contains("was not found"));
        assertDoesNotThrow(() -> TestCommandRunner.preflight("mytool --all", work,
                Map.of("PATH", tools + ":" + System.getenv("PATH"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "cd sub && not-installed-yet test",
            "FOO=1 ls",
            "mvn_missing_but_in_subshell() { :; }; ls",
            "(cd sub && ./gradlew test)",
            "if true; then ls; fi",
            "{ ls; }",
            "[ -d . ] && ls",
            "export A=1; ls",
            "$MAKE test",
            "true",
            "  ls   -la",
            "time ls",
    })
    void shellBuiltinsKeywordsAndWhatOnlyBashCanTellPass(String command) {
        assertDoesNotThrow(() -> TestCommandRunner.preflight(command, work, Map.of()));
    }

    private static String fails(String command, Path workDir, Map<String, String> env) {
        return assertThrows(TestCommandException.class, () -> TestCommandRunner.preflight(command, workDir, env))
                .getMessage();
    }
}
