package io.snapci.tests.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.support.Cleanup;
import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.CuttingProxy;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.snapci.tests.ui.BrowserPage.js;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user does from a run's page, in a real headless Chromium against a real {@code snapci serve}: cancel a
 * live run after confirming (a read-only token sees the button disabled), download the run's JUnit XML and test
 * output, and copy the CLI command, which, run, submits the same run again; and the page's event stream, cut under
 * it, resumed without losing or repeating a line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiActionsTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(15);
    private static final String PASSING_COMMAND = "echo \"it's the suite, against $CASSANDRA_HOST\"; mkdir -p reports;"
            + " cp fixtures/passing.xml reports/";

    @TempDir
    static Path dir;

    private UiServer server;
    private Chromium chromium;
    private String passingRun;

    @BeforeAll
    void start() throws Exception {
        chromium = Chromium.start(dir);
        JUnitFixtures.writePassing(dir);
        server = UiServer.start(dir, Map.of("runs.maxConcurrent", "1"));
        passingRun = server.submit(Map.of("testCommand", PASSING_COMMAND, "workDir", dir.toString(),
                "junitGlob", "reports/*.xml", "labels", Map.of("branch", "main")));
    }

    @AfterAll
    void stop() throws Exception {
        Cleanup.closeOpened(chromium, server);
    }

    @Test
    void aLiveRunIsCancelledAfterConfirmingAndAReadOnlyTokenCannot() throws Exception {
        // Queued behind the passing run (one at a time), then running: live either way until cancelled.
        String live = server.submit(Map.of("testCommand", "sleep 300", "workDir", dir.toString()));

        BrowserPage reader = runPage(live, LocalServe.READ_ONLY_TOKEN);
        reader.waitFor("the cancel button, disabled for a read-only token",
                "(b => b && !b.hidden && b.disabled)(document.querySelector('#run-cancel'))", UI_TIMEOUT);
        assertThat(reader.eval("document.querySelector('#run-cancel').title").asText()).contains("only read");
        reader.eval("document.querySelector('#run-cancel').click()");
        assertThat(reader.eval("document.querySelector('#run-cancel-confirm').hidden").asBoolean()).isTrue();

        BrowserPage page = runPage(live, server.token);
        page.waitFor("the cancel button, enabled", "(b => b && !b.hidden && !b.disabled)"
                + "(document.querySelector('#run-cancel'))", UI_TIMEOUT);
        page.click("#run-cancel");
        page.waitFor("the confirmation", "!document.querySelector('#run-cancel-confirm').hidden", UI_TIMEOUT);
        assertThat(page.text("#run-cancel-confirm")).contains("Cancel this run?", "copy is deleted");
        page.click("#run-cancel-no");
        assertThat(page.eval("document.querySelector('#run-cancel-confirm').hidden").asBoolean()).isTrue();
        Thread.sleep(500);
        assertThat(server.run(live).get("phase").asText()).as("not cancelled: the user said no").isNotEqualTo("CANCELLED");

        page.click("#run-cancel");
        page.click("#run-cancel-yes");
        page.waitFor("the run to end CANCELLED", "document.querySelector('#run-phase').innerText === 'CANCELLED'",
                RUN_TIMEOUT);
        assertThat(server.run(live).get("phase").asText()).isEqualTo("CANCELLED");
        page.waitFor("no cancel button on an ended run", "document.querySelector('#run-cancel').hidden", UI_TIMEOUT);
        page.screenshot(Screenshots.dir().resolve("run-cancelled.png"));
        reader.waitFor("the reader's page to see it end", "document.querySelector('#run-phase').innerText === 'CANCELLED'",
                RUN_TIMEOUT);
        assertThat(page.problems()).isEmpty();
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void theRunsJunitXmlAndLogsDownloadAndTheCopiedCliCommandSubmitsTheSameRun() throws Exception {
        BrowserPage page = runPage(passingRun, server.token);
        page.waitFor("the run to pass", "document.querySelector('#run-phase').innerText === 'PASSED'", RUN_TIMEOUT);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        page.send("Page.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));

        page.click("#download-junit");
        Path junit = awaitFile(downloads.resolve(passingRun + "-junit.xml"));
        assertThat(Files.readString(junit)).contains("shop.CartTest", "removes");
        page.click("#download-stdout");
        Path stdout = awaitFile(downloads.resolve(passingRun + "-tests-stdout.log"));
        assertThat(Files.readString(stdout)).contains("it's the suite, against ");

        // What the clipboard gets (the headless window has no clipboard of its own to read back).
        page.eval("window.snapciCopied = null; navigator.clipboard.writeText = text => "
                + "{ window.snapciCopied = text; return Promise.resolve(); }");
        page.click("#copy-cli");
        page.waitFor("the command to be copied", "window.snapciCopied !== null", UI_TIMEOUT);
        String command = page.eval("window.snapciCopied").asText();
        assertThat(command).isEqualTo(page.text("#run-cli-command"));
        assertThat(command).startsWith("snapci run --url " + server.base() + " --empty --test-cmd ")
                .contains("--workdir " + dir, "--junit 'reports/*.xml'", "--label branch=main")
                .doesNotContain("snapci.clientKey");
        assertThat(page.text("#copy-cli")).isEqualTo("Copied");

        // Under Admin Router's prefix the command is the dcos subcommand's.
        String dcos = page.eval("import('./ui/clicommand.js').then(m => m.cliCommand({spec: {testCommand: 'true'}},"
                + " 'https://cluster.example/service/ci/snapci/'))").asText();
        assertThat(dcos).isEqualTo("dcos snapci run --service-name ci/snapci --empty --test-cmd true");

        JsonNode again = runCopied(command);
        JsonNode before = server.run(passingRun).get("spec");
        assertThat(again.get("spec").get("testCommand")).isEqualTo(before.get("testCommand"));
        assertThat(again.get("spec").get("workDir")).isEqualTo(before.get("workDir"));
        assertThat(again.get("spec").get("junitGlob")).isEqualTo(before.get("junitGlob"));
        assertThat(again.get("spec").get("timeouts")).isEqualTo(before.get("timeouts"));
        assertThat(again.get("spec").get("cassandra")).isEqualTo(before.get("cassandra"));
        assertThat(again.get("spec").at("/labels/branch").asText()).isEqualTo("main");
        assertThat(again.get("phase").asText()).isEqualTo("PASSED");
        assertThat(page.problems()).isEmpty();
    }

    @Test
    void aRunsPageWhoseEventStreamIsCutResumesItAndShowsEveryLiveLineOnce() throws Exception {
        int lines = 240;
        String command = "for i in $(seq 1 " + lines + "); do echo \"line $i\"; if [ $i -eq 60 ]; then sleep 2;"
                + " else sleep 0.01; fi; done";
        try (CuttingProxy proxy = new CuttingProxy(server.base(), 8_000)) {
            String run = server.submit(Map.of("testCommand", command, "workDir", dir.toString()));
            BrowserPage page = runPage(proxy.uri().toString(), run, server.token);
            // Every line the live log shows, in order, as it is added.
            page.eval("""
                    window.snapciLiveLines = [];
                    new MutationObserver(changes => {
                      for (const change of changes) {
                        for (const node of change.addedNodes) {
                          if (node.nodeName === 'SPAN') window.snapciLiveLines.push(node.textContent.trim());
                        }
                      }
                    }).observe(document.querySelector('#run-log'), {childList: true});
                    """);
            page.waitFor("the run to pass", "document.querySelector('#run-phase').innerText === 'PASSED'", RUN_TIMEOUT);
            assertThat(proxy.cut()).as("the page's first stream was cut").isTrue();
            List<String> shown = new ArrayList<>();
            page.eval("window.snapciLiveLines").forEach(line -> shown.add(line.asText()));
            assertThat(shown).as("streams opened with Last-Event-ID " + page.eval("window.snapciStreams")
                    + "; problems " + page.problems()).containsExactlyElementsOf(IntStream.rangeClosed(1, lines).mapToObj(i -> "line " + i)
                    .toList());
            assertThat(strings(page.eval("[...document.querySelectorAll('#run-timeline li')].map(li => li.dataset.phase)")))
                    .as("each phase once").doesNotHaveDuplicates().endsWith("PASSED");
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** The copied command, split into words by bash as a user's shell would, run by the real CLI. */
    private JsonNode runCopied(String command) throws Exception {
        Process words = new ProcessBuilder("bash", "-c", "set -- " + command + "; printf '%s\\0' \"$@\"").start();
        String out = new String(words.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(words.waitFor()).isZero();
        List<String> args = new ArrayList<>(List.of(out.split("\0")));
        assertThat(args.subList(0, 2)).containsExactly("snapci", "run");
        CliProcess cli = CliProcess.start(dir, CliProcess.scrubbedEnv(Map.of("SNAPCI_TOKEN", server.token)),
                args.subList(1, args.size()).toArray(String[]::new));
        assertThat(cli.awaitExit(RUN_TIMEOUT)).as(cli.output()).isZero();
        JsonNode runs = DevTools.JSON.readTree(server.send("GET", "v1/runs?label=branch=main", null, true).body());
        JsonNode newest = runs.get("runs").get(0);
        assertThat(newest.get("id").asText()).as("a new run").isNotEqualTo(passingRun);
        return newest;
    }

    private BrowserPage runPage(String runId, String token) {
        return runPage(server.base().toString(), runId, token);
    }

    private BrowserPage runPage(String base, String runId, String token) {
        BrowserPage page = chromium.open(base, 1400, 900);
        page.waitFor("the sign-in form", "!document.querySelector('#login').hidden", UI_TIMEOUT);
        page.type("#token", token);
        page.click("#login-form button[type=submit]");
        page.waitFor("the runs list", "!!document.querySelector('#runs-body')", UI_TIMEOUT);
        // The Last-Event-ID of each event stream the page opens, for the assertions' messages.
        page.eval("window.snapciStreams = []; const fetchOf = window.fetch; window.fetch = (url, options) => {"
                + " if (String(url).endsWith('/events')) window.snapciStreams.push("
                + "(options && options.headers && options.headers['Last-Event-ID']) || 'none');"
                + " return fetchOf(url, options); }");
        page.eval("location.hash = " + js("#/runs/" + runId));
        page.waitFor("the run's page", "!!document.querySelector('#run-actions') && "
                + "!!document.querySelector('#run-timeline li')", UI_TIMEOUT);
        return page;
    }

    private static Path awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + UI_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file) && file.toFile().length() > 0) {
                return file;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no download " + file + "; there are " + List.of(file.getParent().toFile().list()));
    }
}
