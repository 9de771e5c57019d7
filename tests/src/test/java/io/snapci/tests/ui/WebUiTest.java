package io.snapci.tests.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.support.Cleanup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.snapci.tests.ui.BrowserPage.js;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI in a real headless Chromium against a real {@code snapci serve} with real Cassandra-backed runs: one
 * whose tests pass and one whose tests fail, run one after the other. Two tabs are open before they start: the
 * runs list, and the failing run's page (reached by clicking its row). Each test then reads what a user would see;
 * screenshots land in {@code tests/target/ui-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(15);
    private static final String TERMINAL = "['PASSED', 'FAILED', 'ERROR', 'CANCELLED']";
    private static final String FAILURE_MESSAGE = "expected: <Hello \"Ann\"> but was: <Hello Ann>";

    @TempDir
    static Path dir;

    private UiServer server;
    private Chromium chromium;
    private AdminRouterPrefix adminRouter;
    private String passingRun;
    private String failingRun;
    private BrowserPage listTab;
    private BrowserPage failingRunTab;

    @BeforeAll
    void startServerBrowserAndRuns() throws Exception {
        chromium = Chromium.start(dir);   // first: without Chromium, fail before booting anything
        JUnitFixtures.writePassing(dir);
        JUnitFixtures.writeFailing(dir);
        server = UiServer.start(dir, Map.of("runs.maxConcurrent", "1"));
        adminRouter = new AdminRouterPrefix(server.base());

        listTab = signedIn(server.base().toString());
        recordRunsListPhases(listTab);
        passingRun = server.submit(Map.of("testCommand", "echo \"suite against $CASSANDRA_HOST:$CASSANDRA_PORT\"; "
                        + "sleep 2; mkdir -p passing-reports; cp fixtures/passing.xml passing-reports/; echo done",
                "junitGlob", "passing-reports/*.xml", "labels", Map.of("branch", "main")));
        // Queued behind the passing run (one at a time): time to open its page before it starts.
        failingRun = server.submit(Map.of("testCommand", "echo 'guestbook: rendering entries'; "
                        + "echo 'guestbook: quote check failed' >&2; sleep 3; mkdir -p failing-reports; "
                        + "cp fixtures/failing.xml failing-reports/; exit 1",
                "junitGlob", "failing-reports/*.xml", "labels", Map.of("branch", "feature/quotes")));

        failingRunTab = signedIn(server.base().toString());
        failingRunTab.click(row(failingRun) + " a");
        failingRunTab.waitFor("the failing run's page", "!!document.querySelector('#run-timeline li')", UI_TIMEOUT);
        recordRunPageWhileLive(failingRunTab);
    }

    @AfterAll
    void stop() throws Exception {
        Cleanup.closeOpened(adminRouter, chromium, server);
    }

    @Test
    void theRunsListShowsEachRunAppearAndReachItsEndWithoutReloading() throws Exception {
        assertThat(listTab.eval("document.visibilityState").asText()).isEqualTo("visible");
        listTab.waitFor("both runs to end in the list", "[...document.querySelectorAll('#runs-body tr')]"
                + ".filter(r => " + TERMINAL + ".includes(r.dataset.phase)).length === 2", RUN_TIMEOUT);

        List<String> seen = strings(listTab.eval("window.snapciSeen"));
        assertThat(seen).as("recorded since before the runs were submitted: the page never reloaded").isNotNull();
        // The list polls every 2 s: the passing run's first phases are quick, so it may first show up booting.
        List<String> passing = phasesOf(seen, passingRun);
        assertThat(passing).as("the passing run as the list showed it").hasSizeGreaterThan(1).endsWith("PASSED");
        assertThat(passing.get(0)).isIn("QUEUED", "SNAPSHOTTING", "PLACING", "STARTING_CASSANDRA", "TESTING");
        assertThat(phasesOf(seen, failingRun)).as("queued behind the passing run, then run")
                .startsWith("QUEUED").contains("TESTING").endsWith("FAILED");

        assertThat(cells(listTab, passingRun)).containsExactly(passingRun + "\nbranch=main", "PASSED",
                "empty Cassandra", "no snapshot", cells(listTab, passingRun).get(4), cells(listTab, passingRun).get(5),
                "2 passed, 0 failed", "tests passed");
        assertThat(cells(listTab, passingRun).get(5)).as("duration").matches("\\d+\\.\\d s|\\d+ min \\d\\d s");
        List<String> failing = cells(listTab, failingRun);
        assertThat(failing.get(1)).isEqualTo("FAILED");
        assertThat(failing.get(6)).isEqualTo("2 passed, 1 failed");
        assertThat(failing.get(7)).isEqualTo("tests failed (exit 1)");
        assertThat(listTab.text("#runs-summary")).startsWith("2 runs");

        listTab.screenshot(Screenshots.dir().resolve("runs.png"));
        assertThat(listTab.problems()).isEmpty();
    }

    @Test
    void aRunsPageFollowsItLiveThenShowsItsTimelineFailingTestsAndLogs() throws Exception {
        BrowserPage page = failingRunTab;
        assertThat(page.eval("document.visibilityState").asText()).isEqualTo("visible");
        page.waitFor("the run's page to show FAILED", "document.querySelector('#run-phase').innerText === 'FAILED'",
                RUN_TIMEOUT);
        // The ended run's whole record (failing tests, exit code) is read once its stream has ended.
        page.waitFor("the failing tests", "!!document.querySelector('#failing-tests li')", UI_TIMEOUT);
        JsonNode live = page.eval("window.snapciLive");
        assertThat(strings(live.get("phases"))).as("phases the badge showed").startsWith("QUEUED")
                .contains("STARTING_CASSANDRA", "TESTING").endsWith("FAILED");
        assertThat(live.get("liveLog").asBoolean()).as("a log line shown while the tests ran").isTrue();

        assertThat(strings(page.eval("[...document.querySelectorAll('#run-timeline li')].map(li => li.dataset.phase)")))
                .containsExactly("QUEUED", "SNAPSHOTTING", "PLACING", "STARTING_CASSANDRA", "TESTING", "FAILED");
        assertThat(page.text("#run-timeline")).contains("Cassandra ready after");   // a progress note, live
        assertThat(page.text("#run-tests-summary")).isEqualTo("2 passed, 1 failed");
        assertThat(page.text("#failing-tests")).contains("shop.GuestbookTest.rendersQuotes", FAILURE_MESSAGE)
                .doesNotContain("listsEntries");
        assertThat(page.eval("document.querySelector('#failing-tests hello') === null").asBoolean())
                .as("the message is shown as text, not parsed as HTML").isTrue();
        Map<String, String> facts = facts(page);
        assertThat(facts).containsEntry("Test exit code", "1").containsEntry("Copy deleted", "yes")
                .containsEntry("Labels", "branch=feature/quotes").containsKey("Cassandra ready after");

        page.waitFor("the whole test output from the run's files", "document.querySelector('#run-stderr')"
                + ".innerText.includes('guestbook: quote check failed')", UI_TIMEOUT);
        assertThat(page.text("#run-log")).contains("guestbook: rendering entries");
        page.screenshot(Screenshots.dir().resolve("run-failed.png"));

        page.click(".tabs button:nth-child(2)");
        page.waitFor("Cassandra's log", "(t => t.length > 200 && t !== 'Loading…')"
                + "(document.querySelector('#run-log').innerText)", UI_TIMEOUT);
        assertThat(server.run(failingRun).get("phase").asText()).isEqualTo("FAILED");
        assertThat(page.problems()).isEmpty();
    }

    @Test
    void aRunsPageDrawsWhereItsTimeWentAsABarOfItsPhasesEachAsWideAsItLasted() throws Exception {
        BrowserPage page = failingRunTab;
        page.waitFor("the run's page to show FAILED", "document.querySelector('#run-phase').innerText === 'FAILED'",
                RUN_TIMEOUT);
        JsonNode record = server.run(failingRun);
        JsonNode history = record.get("history");
        long cleanupAt = java.time.Instant.parse(record.get("cleanupStartedAt").asText()).toEpochMilli();
        List<String> phases = new ArrayList<>();
        List<Long> spans = new ArrayList<>();
        for (int i = 0; i + 1 < history.size(); i++) {
            phases.add(history.get(i).get("phase").asText());
            // In milliseconds, as the browser's Date reads the record's instants.
            boolean last = i + 2 == history.size();
            spans.add((last ? cleanupAt : millis(history.get(i + 1))) - millis(history.get(i)));
            if (last) {
                // The copy is deleted before the verdict is recorded: from cleanupStartedAt on, its own segment.
                phases.add("CLEANUP");
                spans.add(millis(history.get(i + 1)) - cleanupAt);
            }
        }
        long total = spans.stream().mapToLong(Long::longValue).sum();
        assertThat(total).as("the run took time").isPositive();

        JsonNode bar = page.eval("[...document.querySelectorAll('svg#run-phase-bar rect.seg')].map(r => ({"
                + "phase: r.dataset.phase, cls: r.getAttribute('class'), x: +r.getAttribute('x'),"
                + " width: +r.getAttribute('width'), drawn: r.getBoundingClientRect().width}))");
        assertThat(bar.size()).as("one segment per phase before the verdict, and the cleanup").isEqualTo(phases.size());
        double barWidth = page.eval("document.querySelector('#run-phase-bar').getBoundingClientRect().width")
                .asDouble();
        double x = 0;
        for (int i = 0; i < phases.size(); i++) {
            JsonNode segment = bar.get(i);
            assertThat(segment.get("phase").asText()).isEqualTo(phases.get(i));
            double share = spans.get(i) / (double) total;
            assertThat(segment.get("width").asDouble()).as(phases.get(i) + "'s share of 1000")
                    .isCloseTo(share * 1000, org.assertj.core.data.Offset.offset(0.01));
            assertThat(segment.get("x").asDouble()).as("segments follow each other").isCloseTo(x,
                    org.assertj.core.data.Offset.offset(0.01));
            assertThat(segment.get("drawn").asDouble()).as("as drawn, in pixels")
                    .isCloseTo(share * barWidth, org.assertj.core.data.Offset.offset(1.0));
            x += segment.get("width").asDouble();
        }
        assertThat(bar.findValuesAsText("cls")).containsExactly("seg seg-queued", "seg seg-copy", "seg seg-placing",
                "seg seg-boot", "seg seg-tests", "seg seg-cleanup");
        assertThat(page.text("#run-phase-legend")).contains("copy ", "boot ", "tests ", "cleanup ")
                .doesNotContain("tests + cleanup");
        assertThat(page.eval("getComputedStyle(document.querySelector('#run-phase-bar .seg-tests')).fill")
                .asText()).as("coloured by the style sheet").isEqualTo("rgb(26, 86, 179)");
        page.screenshot(Screenshots.dir().resolve("run-phase-bar.png"));
        assertThat(page.problems()).isEmpty();
    }

    @Test
    void theRunsListChartsEachSourcesRecentRunsByOutcomeAndTimeToTests() throws Exception {
        listTab.waitFor("both runs to end in the list", "[...document.querySelectorAll('#runs-body tr')]"
                + ".filter(r => " + TERMINAL + ".includes(r.dataset.phase)).length === 2", RUN_TIMEOUT);
        listTab.waitFor("the chart's two marks", "document.querySelectorAll('#source-charts rect.mark').length === 2",
                UI_TIMEOUT);
        assertThat(strings(listTab.eval("[...document.querySelectorAll('#source-charts figure')]"
                + ".map(f => f.dataset.source)"))).as("one chart per source").containsExactly("empty Cassandra");
        JsonNode marks = listTab.eval("[...document.querySelectorAll('#source-charts rect.mark')].map(r => ({"
                + "run: r.dataset.runId, cls: r.getAttribute('class'), height: +r.getAttribute('height'),"
                + " href: r.parentNode.getAttribute('href')}))");
        assertThat(marks.findValuesAsText("run")).as("oldest left").containsExactly(passingRun, failingRun);
        assertThat(marks.findValuesAsText("cls")).containsExactly("mark outcome-passed", "mark outcome-failed");
        assertThat(marks.findValuesAsText("href")).containsExactly("#/runs/" + passingRun, "#/runs/" + failingRun);
        long passingReady = readyToTest(server.run(passingRun));
        long failingReady = readyToTest(server.run(failingRun));
        assertThat(failingReady).as("queued behind the other run: it waited longer").isGreaterThan(passingReady);
        double tallest = 42;   // the chart's height less its margin: the slowest run's mark
        assertThat(marks.get(1).get("height").asDouble()).isCloseTo(tallest, org.assertj.core.data.Offset.offset(0.01));
        assertThat(marks.get(0).get("height").asDouble()).as("heights follow the times to tests")
                .isCloseTo(Math.max(3, tallest * passingReady / failingReady), org.assertj.core.data.Offset.offset(0.01));
        assertThat(listTab.text("#source-charts figcaption")).startsWith("empty Cassandra · 2 runs · ready to test:");

        listTab.click("#source-charts a[href=\"#/runs/" + passingRun + "\"]");
        listTab.waitFor("the run's page", "location.hash === " + js("#/runs/" + passingRun)
                + " && !!document.querySelector('#run-phase-bar')", UI_TIMEOUT);
        listTab.eval("location.hash = '#/'; true");
        listTab.waitFor("the runs list again", "document.querySelectorAll('#source-charts rect.mark').length === 2",
                UI_TIMEOUT);
        listTab.screenshot(Screenshots.dir().resolve("runs-source-chart.png"));
        assertThat(listTab.problems()).isEmpty();
    }

    /** Sources, outcomes and histories the two real runs do not have: drawn from records shaped like theirs. */
    @Test
    void thePicturesFollowTheRecordsTheyAreDrawnFrom() {
        try (BrowserPage page = chromium.open(server.base().toString(), 800, 600)) {
            JsonNode drawn = page.eval("""
                    import('./ui/charts.js').then(c => {
                      const at = s => `2026-11-25T10:${s}Z`;
                      const run = (id, phase, source, steps) => ({id, phase, spec: {source},
                          history: steps.map(([p, t]) => ({phase: p, at: at(t)}))});
                      const runs = [
                        run('r5', 'TESTING', {volume: 'orders'}, [['QUEUED', '00:00'], ['SNAPSHOTTING', '00:01']]),
                        run('r4', 'PASSED', {volume: 'orders'}, [['QUEUED', '00:00'], ['SNAPSHOTTING', '00:00'],
                            ['PLACING', '00:04'], ['STARTING_CASSANDRA', '00:05'], ['PLACING', '00:10'],
                            ['STARTING_CASSANDRA', '00:11'], ['TESTING', '00:20'], ['PASSED', '00:40']]),
                        run('r3', 'ERROR', {dataDir: '/var/lib/cassandra'}, [['QUEUED', '00:00'],
                            ['SNAPSHOTTING', '00:02'], ['ERROR', '00:03']]),
                        run('r2', 'FAILED', {volume: 'orders'}, [['QUEUED', '00:00'], ['SNAPSHOTTING', '00:00'],
                            ['PLACING', '00:02'], ['STARTING_CASSANDRA', '00:03'], ['TESTING', '00:10'],
                            ['FAILED', '00:30']]),
                      ];
                      const groups = c.recentBySource(runs);
                      const charts = groups.map(g => c.sourceChart(g.source, g.runs));
                      const marks = fig => [...fig.querySelectorAll('rect')].map(r =>
                          `${r.dataset.runId} ${r.getAttribute('class')} ${r.getAttribute('height')}`);
                      const bar = c.phaseBar(runs[1], Date.now());
                      const live = c.phaseBar(runs[0], Date.parse(at('00:05')));
                      return {
                        sources: groups.map(g => g.source),
                        orders: marks(charts[0]), local: marks(charts[1]),
                        bar: [...bar.querySelectorAll('rect')].map(r => `${r.dataset.phase} ${r.getAttribute('width')}`),
                        live: [...live.querySelectorAll('rect')].map(r => `${r.getAttribute('class')} ${r.getAttribute('width')}`),
                        none: c.phaseBar(run('r0', 'QUEUED', undefined, [['QUEUED', '00:00']]), Date.parse(at('00:00'))),
                      };
                    })""");
            assertThat(strings(drawn.get("sources"))).as("by source, the newest ended run's first; the live one "
                    + "has no outcome yet").containsExactly("volume orders", "/var/lib/cassandra");
            // Ready to test: r2 after 10 s, r4 after 20 s (the slowest: the full height, 42).
            assertThat(strings(drawn.get("orders"))).containsExactly("r2 mark outcome-failed 21.00",
                    "r4 mark outcome-passed 42.00");
            assertThat(strings(drawn.get("local"))).as("its tests never started: a low mark")
                    .containsExactly("r3 mark outcome-error not-ready 3.00");
            // 40 s in all: 0 queued, 4 copy, 1 placing, 5 boot, 1 placing again (another agent), 9 boot, 20 tests.
            assertThat(strings(drawn.get("bar"))).containsExactly("QUEUED 0.000", "SNAPSHOTTING 100.000",
                    "PLACING 25.000", "STARTING_CASSANDRA 125.000", "PLACING 25.000", "STARTING_CASSANDRA 225.000",
                    "TESTING 500.000");
            assertThat(strings(drawn.get("live"))).as("a live run's current phase lasts until now")
                    .containsExactly("seg seg-queued 200.000", "seg seg-copy live 800.000");
            assertThat(drawn.get("none").isNull()).as("nothing to draw before time has passed").isTrue();
            assertThat(page.problems()).isEmpty();
        }
    }

    @Test
    void aRunsPageNamesTheMaskingItsCopyGotAndNoValueOfARowFilter() {
        try (BrowserPage page = chromium.open(server.base().toString(), 800, 600)) {
            JsonNode shown = page.eval("""
                    import('./ui/format.js').then(f => ({
                      named: f.masking({spec: {mask: {ruleSet: 'pii', rules: [
                          {keyspace: 'shop', table: 'users', column: 'email', transform: 'email'},
                          {keyspace: 'shop', table: 'users', column: 'note', transform: 'keep-chars', argument: '"'}],
                        filters: [{keyspace: 'shop', table: 'users', column: 'name', value: 'Internal Test'}]}}}),
                      own: f.masking({spec: {mask: {rules: [
                          {keyspace: 'shop', table: 'users', column: 'phone', transform: 'phone'}], filters: []}}}),
                      none: f.masking({spec: {mask: {rules: [], filters: []}}}),
                      old: f.masking({spec: {}}),
                    }))""");
            assertThat(shown.get("named").asText()).isEqualTo("rule set pii, 3 rules: shop.users.email: email; "
                    + "shop.users.note: keep-chars(\"); delete shop.users where name = …");
            assertThat(shown.get("own").asText()).isEqualTo("1 rule: shop.users.phone: phone");
            assertThat(shown.get("none").isNull()).isTrue();
            assertThat(shown.get("old").isNull()).isTrue();
            assertThat(page.problems()).isEmpty();
        }
    }

    private static long millis(JsonNode phaseChange) {
        return java.time.Instant.parse(phaseChange.get("at").asText()).toEpochMilli();
    }

    private static long readyToTest(JsonNode run) {
        long submitted = millis(run.get("history").get(0));
        for (JsonNode change : run.get("history")) {
            if (change.get("phase").asText().equals("TESTING")) {
                return millis(change) - submitted;
            }
        }
        throw new AssertionError("the run never reached TESTING: " + run);
    }

    @Test
    void underAdminRoutersPrefixThePageAndEveryCallItMakesStayUnderThePrefix() throws Exception {
        try (BrowserPage page = signedIn(adminRouter.url())) {
            page.waitFor("the passing run to end", "(document.querySelector(" + js(row(passingRun))
                    + ") || {dataset: {}}).dataset.phase === 'PASSED'", RUN_TIMEOUT);
            page.click(row(passingRun) + " a");
            page.waitFor("the run's page", "location.href === " + js(adminRouter.url() + "#/runs/" + passingRun)
                    + " && !!document.querySelector('#run-log')", UI_TIMEOUT);
            page.waitFor("its test output", "document.querySelector('#run-log').innerText"
                    + ".includes('suite against 127.0.0.1:')", UI_TIMEOUT);
            assertThat(page.text("#run-phase")).isEqualTo("PASSED");
            assertThat(page.text("#run-tests-summary")).isEqualTo("2 passed, 0 failed");
            page.screenshot(Screenshots.dir().resolve("run-passed-under-service-prefix.png"));
            assertThat(adminRouter.outsideRequests()).isEmpty();
            assertThat(page.problems()).isEmpty();
        }
    }

    @Test
    void aRefusedTokenShowsTheServersMessageAndTheTokenStaysInThisTabsSessionStorageOnly() throws Exception {
        try (BrowserPage page = chromium.open(server.base().toString(), 1280, 800)) {
            signIn(page, "not-the-token");
            page.waitFor("the refusal", "document.querySelector('#login-error').innerText", UI_TIMEOUT);
            assertThat(page.text("#login-error")).contains("not accepted by this snapci server");
            assertThat(page.eval("sessionStorage.length").asInt()).isZero();

            signIn(page, server.token);
            page.waitFor("the runs list", "!!document.querySelector('#runs-body')", UI_TIMEOUT);
            assertThat(page.eval("sessionStorage.getItem('snapci.token')").asText()).isEqualTo(server.token);
            assertThat(page.eval("location.href").asText()).doesNotContain(server.token);
            assertThat(page.eval("localStorage.length").asInt()).isZero();
            assertThat(page.eval("document.cookie").asText()).isEmpty();

            page.click("#sign-out");
            page.waitFor("the sign-in form", "!document.querySelector('#login').hidden", UI_TIMEOUT);
            assertThat(page.eval("sessionStorage.length").asInt()).isZero();
            assertThat(page.problems()).isEmpty();
        }
    }

    @Test
    void snapshotsAndSchedulesShowWhatTheServerAnswers() throws Exception {
        try (BrowserPage page = signedIn(server.base().toString())) {
            for (String kind : List.of("snapshots", "schedules")) {
                page.click("nav a[data-view=" + kind + "]");
                String shown = "#" + kind + "-count, #" + kind + "-content .notice";
                page.waitFor(kind + " or why not", "!!document.querySelector(" + js(shown) + ")", UI_TIMEOUT);
                HttpResponse<String> api = server.send("GET", "v1/" + kind, null, true);
                String text = page.text("#" + kind + "-content");
                if (api.statusCode() == 404) {
                    assertThat(text).as(kind).contains("not available in local mode");
                } else if (api.statusCode() == 200) {
                    assertThat(page.text("#" + kind + "-count")).as(kind).matches("\\d+ \\w+");
                } else {
                    assertThat(text).as(kind).contains(DevTools.JSON.readTree(api.body()).get("message").asText());
                }
            }
            page.screenshot(Screenshots.dir().resolve("schedules.png"));
            assertThat(page.problems()).isEmpty();
        }
    }

    /** The runs here have no source; the age's two readings are checked on records shaped like the others'. */
    @Test
    void snapshotAgeIsHowOldTheDataWasWhenTheTestsStarted() {
        try (BrowserPage page = chromium.open(server.base().toString(), 800, 600)) {
            JsonNode shown = page.eval("""
                    import('./ui/format.js').then(f => {
                      const history = ['QUEUED', 'SNAPSHOTTING', 'PLACING', 'STARTING_CASSANDRA', 'TESTING', 'PASSED']
                          .map((phase, i) => ({phase, at: ['10:00:00', '10:00:05', '10:00:06', '10:00:07', '10:00:35',
                              '10:01:00'][i]})).map(h => ({phase: h.phase, at: `2026-11-25T${h.at}Z`}));
                      const run = (source, snapshot) => ({phase: 'PASSED', history, spec: {source}, snapshot});
                      const local = run({dataDir: '/var/lib/cassandra'}, 'linked 274 files (1.2 GB), copied 3 in 40 ms');
                      const portworx = run({volume: 'cassandra-prod', maxAge: 'PT1H'}, 'clone c1 of snapshot s1 of '
                          + 'volume cassandra-prod, data taken 2026-11-25T09:20:00Z (40 min 0 s old when the run '
                          + "started; reused scheduled snapshot 'hourly'); CI tier: production's spec");
                      const empty = run(undefined, 'empty copy (no source data)');
                      return [local, portworx, empty].map(r => f.source(r) + ' | ' + f.snapshotAge(r, Date.now()));
                    })""");
            assertThat(strings(shown)).containsExactly(
                    "/var/lib/cassandra | 30.0 s",                               // copied as the run started copying
                    "volume cassandra-prod (max age PT1H) | 40 min 35 s",          // the snapshot's own time
                    "empty Cassandra | no snapshot");
            assertThat(page.problems()).isEmpty();
        }
    }

    private BrowserPage signedIn(String url) {
        BrowserPage page = chromium.open(url, 1400, 900);
        signIn(page, server.token);
        page.waitFor("the runs list", "!!document.querySelector('#runs-body')", UI_TIMEOUT);
        return page;
    }

    private static void signIn(BrowserPage page, String token) {
        page.waitFor("the sign-in form", "!document.querySelector('#login').hidden", UI_TIMEOUT);
        page.type("#token", token);
        page.click("#login-form button[type=submit]");
    }

    /** Every (run, phase) the list shows, in order, kept in the page: gone if the page ever reloads. */
    private static void recordRunsListPhases(BrowserPage page) {
        page.eval("""
                window.snapciSeen = [];
                new MutationObserver(() => {
                  for (const row of document.querySelectorAll('#runs-body tr[data-run-id]')) {
                    const seen = row.dataset.runId + ' ' + row.dataset.phase;
                    if (!snapciSeen.includes(seen)) snapciSeen.push(seen);
                  }
                }).observe(document.body, {subtree: true, childList: true, attributes: true}); true""");
    }

    /** The phases the run's badge shows, and whether a log line appeared before the run ended. */
    private static void recordRunPageWhileLive(BrowserPage page) {
        page.eval("""
                window.snapciLive = {phases: [], liveLog: false};
                const note = () => {
                  const phase = document.querySelector('#run-phase').innerText;
                  if (phase && !snapciLive.phases.includes(phase)) snapciLive.phases.push(phase);
                  if (!%s.includes(phase)
                      && document.querySelector('#run-log').textContent.includes('rendering entries')) {
                    snapciLive.liveLog = true;
                  }
                };
                note();
                new MutationObserver(note).observe(document.body, {subtree: true, childList: true,
                    characterData: true}); true""".formatted(TERMINAL));
    }

    /** The CSS selector of a run's row in the list. */
    private static String row(String runId) {
        return "#runs-body tr[data-run-id=\"" + runId + "\"]";
    }

    private static List<String> cells(BrowserPage page, String runId) {
        return strings(page.eval("[...document.querySelector(" + js(row(runId)) + ").children].map(td => td.innerText)"));
    }

    /** The run page's details, name to value. */
    private static Map<String, String> facts(BrowserPage page) throws Exception {
        JsonNode pairs = page.eval("Object.fromEntries([...document.querySelectorAll('#run-facts dt')]"
                + ".map(dt => [dt.innerText, dt.nextElementSibling.innerText]))");
        return DevTools.JSON.convertValue(pairs, new com.fasterxml.jackson.core.type.TypeReference<>() { });
    }

    private static List<String> phasesOf(List<String> seen, String runId) {
        return seen.stream().filter(s -> s.startsWith(runId + " ")).map(s -> s.substring(runId.length() + 1)).toList();
    }

    private static List<String> strings(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> list = new ArrayList<>();
        array.forEach(item -> list.add(item.asText()));
        return list;
    }
}
