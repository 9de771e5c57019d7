package io.snapci.tests.ui;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the UI's files are served, over real HTTP: without a token (the page must load before the user signs in),
 * with the headers that keep it safe, and only they: the API behind them still wants its token. No browser here;
 * {@link WebUiTest} uses one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiServingTest {

    /** What index.html and the modules load: "ui/app.css", "./api.js" and the like. */
    private static final Pattern LOADED = Pattern.compile("(?:href|src)=\"(ui/[^\"]+)\"|from '\\./([^']+)'");
    /** A path from the server's root, which would miss the /service/snapci/ prefix behind Admin Router. */
    private static final Pattern ABSOLUTE = Pattern.compile("[\"'`(]/(v1|ui|metrics)\\b|(href|src)=\"/");

    @TempDir
    static Path dir;
    private UiServer server;

    @BeforeAll
    void start() throws Exception {
        server = UiServer.start(dir, Map.of());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thePageAndEveryFileItLoadsAreServedWithoutATokenWithTheirTypes() throws Exception {
        HttpResponse<String> page = server.send("GET", "", null, false);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        List<String> files = loadedBy(page.body(), "ui/");
        assertThat(files).contains("ui/app.css", "ui/app.js");
        for (int i = 0; i < files.size(); i++) {   // grows as modules name the modules they import
            String file = files.get(i);
            HttpResponse<String> reply = server.send("GET", file, null, false);
            assertThat(reply.statusCode()).as(file).isEqualTo(200);
            assertThat(reply.headers().firstValue("Content-Type")).as(file).hasValueSatisfying(type -> assertThat(type)
                    .startsWith(file.endsWith(".css") ? "text/css" : "text/javascript"));
            for (String more : loadedBy(reply.body(), "ui/")) {
                if (!files.contains(more)) {
                    files.add(more);
                }
            }
        }
        assertThat(files).as("every module").contains("ui/api.js", "ui/runs.js", "ui/run.js", "ui/listing.js");
    }

    @Test
    void theFilesCarryAContentSecurityPolicyAndAreRevalidatedByTheirETag() throws Exception {
        HttpResponse<String> first = server.send("GET", "ui/app.js", null, false);
        assertThat(first.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'").doesNotContain("unsafe"));
        assertThat(first.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = server.send("GET", "ui/app.js", null, false, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void theApiStillWantsItsTokenAndOnlyTheUisFilesAreOpen() throws Exception {
        assertThat(server.send("GET", "v1/runs", null, false).statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "metrics", null, false).statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "ui/secrets.js", null, false).statusCode())
                .as("a file the UI does not have reveals nothing without a token").isEqualTo(401);
        assertThat(server.send("GET", "ui/../v1/runs", null, false).statusCode()).isEqualTo(401);
        assertThat(server.send("POST", "", "{}", false).statusCode()).as("only reads are open").isEqualTo(401);
        assertThat(server.send("GET", "ui/app.js", null, true).statusCode()).as("a token does no harm")
                .isEqualTo(200);
    }

    @Test
    void everyLinkAndApiCallInTheUiIsRelative() throws Exception {
        Path sources = io.snapci.tests.support.Snapci.repoRoot().resolve("server/service/src/main/resources/ui");
        List<String> absolute = new ArrayList<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (ABSOLUTE.matcher(lines.get(i)).find()) {
                        absolute.add(file.getFileName() + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(absolute).isEmpty();
        assertThat(ABSOLUTE.matcher("fetch('/v1/runs')").find()).as("the check itself catches one").isTrue();
    }

    private static List<String> loadedBy(String text, String prefix) {
        List<String> files = new ArrayList<>();
        Matcher m = LOADED.matcher(text);
        while (m.find()) {
            files.add(m.group(1) != null ? m.group(1) : prefix + m.group(2));
        }
        return files;
    }
}
