package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app the package installs, started on this machine the way Marathon and Mesos would start it: the rendered
 * fetch URIs resolved to the built archives in a sandbox, the rendered cmd run by /bin/sh with the rendered env plus
 * what Mesos and Marathon add (PORT0, HOST, MESOS_SANDBOX, a default PATH), then the health check Marathon would run.
 *
 * <p>One deviation: SNAPCI_MODE=local, because this machine has no Mesos master, ZooKeeper or Portworx; serve then
 * starts with its local defaults (its state under the sandbox), and local mode boots Cassandra itself, so it is
 * pointed at the Cassandra jars this build laid out (a cluster's scheduler never needs them: Cassandra runs in the
 * task's image).
 *
 * <p>Written against `snapci serve` (issue 5): the command line is {@code snapci serve}, configured by the
 * SNAPCI_* environment (ConfigKey in the server module), answering {@code GET /v1/health}.
 */
class SchedulerAppIT {

    private static final String MESOS_DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path sandboxDir;

    @Test
    void theRenderedCommandStartsTheSchedulerFromTheBuiltArchiveAndItsHealthCheckAnswers() throws Exception {
        UniverseFiles universe = UniverseFiles.built(BuildSettings.distDir().resolve("universe"));
        JsonNode app = universe.renderer().render(universe.marathonTemplate(), Documents.JSON.createObjectNode());
        MesosSandbox sandbox = new MesosSandbox(sandboxDir, BuildSettings.distDir());
        for (JsonNode artifact : app.path("fetch")) {
            sandbox.fetch(artifact);
        }
        int port = freePort();
        ProcessBuilder task = new ProcessBuilder("/bin/sh", "-c", app.path("cmd").asText()).directory(sandboxDir.toFile())
                .redirectErrorStream(true).redirectOutput(sandboxDir.resolve("stdout").toFile());
        Map<String, String> env = task.environment();
        env.clear();
        app.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put("SNAPCI_MODE", "local");
        env.put("SNAPCI_LOCAL_WORK_ROOT", sandboxDir.resolve("work").toString());
        env.put("SNAPCI_CASSANDRA_LIB", Path.of(System.getProperty("snapci.repo.root"))
                .resolve("cassandra-runtime/target/cassandra-lib").toAbsolutePath().normalize().toString());
        env.put("PATH", MESOS_DEFAULT_PATH);
        env.put("HOST", "127.0.0.1");
        env.put("PORT0", String.valueOf(port));
        env.put("PORTS", String.valueOf(port));
        env.put("MESOS_SANDBOX", sandboxDir.toString());
        env.put("HOME", sandboxDir.toString());

        Process scheduler = task.start();
        try {
            JsonNode check = app.path("healthChecks").get(0);
            assertThat(check.path("portIndex").asInt()).isZero();
            URI health = URI.create("http://127.0.0.1:" + port + check.path("path").asText());
            int status = awaitHealthy(health, scheduler, Duration.ofSeconds(check.path("gracePeriodSeconds").asInt()));
            assertThat(status).as("health check answer; scheduler output:\n" + output()).isEqualTo(200);
            // `exec` all the way down: the task's process is the JVM of the bundled runtime, not the machine's Java.
            assertThat(scheduler.info().command().orElse("")).as("the task's process")
                    .isEqualTo(sandboxDir.resolve("snapci-scheduler/jre/bin/java").toRealPath().toString());
        } finally {
            // Marathon's kill: SIGTERM, then SIGKILL after taskKillGracePeriodSeconds.
            scheduler.destroy();
            boolean stopped = scheduler.waitFor(app.path("taskKillGracePeriodSeconds").asInt(), TimeUnit.SECONDS);
            if (!stopped) {
                scheduler.destroyForcibly().waitFor();
            }
            assertThat(stopped).as("the scheduler stops within the kill grace period").isTrue();
        }
    }

    private int awaitHealthy(URI health, Process scheduler, Duration grace) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + grace.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline && scheduler.isAlive()) {
            try {
                last = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    return last;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                last = -2;
            }
            Thread.sleep(250);
        }
        return last;
    }

    private String output() {
        try {
            return Files.readString(sandboxDir.resolve("stdout"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
