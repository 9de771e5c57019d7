package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executor bundle in a sandbox, started as TaskGroupFactory starts the tests task
 * ({@code exec ./snapci-executor/bin/snapci-tests-task}), inside an "image" whose own Java is too old: it must run on
 * the Java 17 runtime it brings.
 */
class ExecutorBundleIT {

    @TempDir
    Path sandboxDir;
    private Path oldJavaDir;

    @BeforeEach
    void fetchTheBundleAndFakeAnOldImageJava() throws Exception {
        new MesosSandbox(sandboxDir, BuildSettings.distDir())
                .fetch(BuildSettings.archivePrefix() + "-executor-linux-x86_64.tar.gz", true);
        // A Java 8 as a Cassandra 3.11 or an old build image has it: snapci's Java 17 classes cannot run on it.
        oldJavaDir = Files.createDirectories(sandboxDir.resolve("old-image-bin"));
        Path java = oldJavaDir.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo '    java.specification.version = 1.8' >&2
                echo 'Error: UnsupportedClassVersionError (this is Java 8)' >&2
                exit 1
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void runsOnItsOwnRuntimeWhenTheImagesJavaIsOld() throws Exception {
        Result result = runTestsTask(Map.of());
        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.output()).contains("SNAPCI_TEST_COMMAND is not set").doesNotContain("UnsupportedClassVersion");
        assertThat(result().path("outcome").asText()).isEqualTo("ERROR");
    }

    @Test
    void loadsTheCassandraDriverOnItsRuntimeAndReportsACassandraThatNeverAnswers() throws Exception {
        Result result = runTestsTask(Map.of("SNAPCI_TEST_COMMAND", "true", "CASSANDRA_PORT", String.valueOf(closedPort()),
                "SNAPCI_CASSANDRA_READY_TIMEOUT", "PT3S"));
        assertThat(result.exit()).as(result.output()).isEqualTo(3);
        assertThat(result.output()).doesNotContain("NoClassDefFoundError", "ClassNotFoundException",
                "UnsupportedClassVersion");
        assertThat(result().path("message").asText()).contains("not ready");
    }

    @Test
    void withoutItsRuntimeItUsesAnImageJavaThatIs17OrNewer() throws Exception {
        deleteBundledRuntime();
        Result result = runTestsTask(Map.of("PATH", "/usr/bin:/bin"));
        assertThat(result.output()).contains("SNAPCI_TEST_COMMAND is not set");
    }

    @Test
    void withoutItsRuntimeAndWithAnOldJavaItSaysWhyAndExitsAsAnInfrastructureError() throws Exception {
        deleteBundledRuntime();
        Result result = runTestsTask(Map.of());
        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.output()).contains("no Java 17 runtime");
    }

    private record Result(int exit, String output) {
    }

    private Result runTestsTask(Map<String, String> extraEnv) throws Exception {
        ProcessBuilder task = new ProcessBuilder("/bin/sh", "-c", "exec ./snapci-executor/bin/snapci-tests-task")
                .directory(sandboxDir.toFile()).redirectErrorStream(true)
                .redirectOutput(sandboxDir.resolve("stdout").toFile());
        Map<String, String> env = task.environment();
        env.clear();
        env.put("PATH", oldJavaDir + ":/usr/bin:/bin");
        env.put("MESOS_SANDBOX", sandboxDir.toString());
        env.put("CASSANDRA_HOST", "127.0.0.1");
        env.putAll(extraEnv);
        Process process = task.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(sandboxDir.resolve("stdout")));
    }

    private JsonNode result() {
        return Documents.read(sandboxDir.resolve("snapci-result.json"));
    }

    private void deleteBundledRuntime() throws IOException, InterruptedException {
        Process rm = new ProcessBuilder("rm", "-rf", sandboxDir.resolve("snapci-executor/jre").toString()).start();
        assertThat(rm.waitFor()).isZero();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
