package io.snapci.tests.api;

import io.snapci.tests.support.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code snapci serve} as its own JVM, as Marathon runs it: it serves, and a signal stops it cleanly. */
class ApiServeCommandTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+/)");

    @TempDir
    Path dir;

    @Test
    void serveAnswersWithTheTokenFromItsFileAndStopsOnASignal() throws Exception {
        Files.writeString(dir.resolve("tokens"), "# CI\ncli-token-3b9e\n");
        CliProcess serve = CliProcess.start(dir, "serve", "--port", "0", "--work-root", dir.resolve("work").toString(),
                "--set", "auth.tokensFile=" + dir.resolve("tokens"));
        serve.awaitOutput("listening on", Duration.ofSeconds(60));
        Matcher m = LISTENING.matcher(serve.output());
        assertThat(m.find()).as(serve.output()).isTrue();
        ApiClient api = new ApiClient(URI.create(m.group(1)), "cli-token-3b9e");

        assertThat(api.get("v1/health").status()).isEqualTo(200);
        assertThat(api.get("v1/runs").json().get("count").asInt()).isZero();
        assertThat(new ApiClient(URI.create(m.group(1)), "guess").get("v1/runs").status()).isEqualTo(401);

        serve.terminate();
        // The JVM reports death by SIGTERM (128 + 15) once the shutdown hook has finished the graceful shutdown.
        assertThat(serve.awaitExit(Duration.ofMinutes(1))).as(serve.output()).isEqualTo(143);
        assertThat(serve.output()).contains("shutting down", "stopped", "GET /v1/runs 200 token#1")
                .doesNotContain("cli-token-3b9e");
    }

    @Test
    void aConfigurationMistakeExitsTwoSayingWhatToChange() throws Exception {
        CliProcess serve = CliProcess.start(dir, "serve", "--set", "runs.maxConcurent=3");
        assertThat(serve.awaitExit(Duration.ofSeconds(60))).as(serve.output()).isEqualTo(2);
        assertThat(serve.output()).contains("unknown configuration key 'runs.maxConcurent'", "runs.maxConcurrent");

        CliProcess mesos = CliProcess.start(dir, "serve", "--mode", "mesos");
        assertThat(mesos.awaitExit(Duration.ofSeconds(60))).as(mesos.output()).isEqualTo(2);
        assertThat(mesos.output()).contains("mesos.master is required");
    }
}
