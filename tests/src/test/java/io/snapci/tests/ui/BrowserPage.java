package io.snapci.tests.ui;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One tab of the browser, as a user meets it: navigate, type, click (real mouse events at the element's place),
 * read what is shown, take screenshots. Script errors and refused scripts or styles are collected: a page that
 * throws fails its test even when what it shows looks right.
 */
final class BrowserPage implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final DevTools devTools;
    private final String session;
    private final List<String> problems = new ArrayList<>();

    BrowserPage(DevTools devTools, String session, int width, int height) {
        this.devTools = devTools;
        this.session = session;
        devTools.onEvent((eventSession, event) -> {
            if (session.equals(eventSession)) {
                collectProblem(event);
            }
        });
        send("Runtime.enable", Map.of());
        send("Log.enable", Map.of());
        send("Page.enable", Map.of());
        send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", false));
    }

    /** Uncaught exceptions, console.error, and the browser's own complaints (CSP, module loading, script errors). */
    private void collectProblem(JsonNode event) {
        JsonNode params = event.path("params");
        switch (event.path("method").asText()) {
            case "Runtime.exceptionThrown" -> addProblem("exception: "
                    + params.path("exceptionDetails").path("exception").path("description")
                    .asText(params.path("exceptionDetails").path("text").asText()));
            case "Runtime.consoleAPICalled" -> {
                if (params.path("type").asText().equals("error")) {
                    addProblem("console.error: " + params.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                JsonNode entry = params.path("entry");
                // "network" entries are the HTTP errors the page handles itself (a refused token, a 404).
                if (entry.path("level").asText().equals("error") && !entry.path("source").asText().equals("network")) {
                    addProblem(entry.path("source").asText() + ": " + entry.path("text").asText());
                }
            }
            default -> {
            }
        }
    }

    private synchronized void addProblem(String problem) {
        problems.add(problem);
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    JsonNode send(String method, Map<String, ?> params) {
        return devTools.send(session, method, params);
    }

    void navigate(String url) {
        send("Page.navigate", Map.of("url", url));
        waitFor("the page at " + url + " to load", "document.readyState === 'complete'", Duration.ofSeconds(20));
    }

    /** The value of a JavaScript expression (awaited if it is a promise), as JSON. */
    JsonNode eval(String expression) {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("evaluating " + expression + " threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    String text(String selector) {
        return eval("(document.querySelector(" + js(selector) + ") || {}).innerText || ''").asText();
    }

    /**
     * Polls until the expression is truthy; one that throws (the element is not there yet) counts as not yet. On
     * time out fails with what the page shows and a screenshot.
     */
    JsonNode waitFor(String what, String expression, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object value = null;
        while (System.nanoTime() < deadline) {
            try {
                JsonNode result = eval(expression);
                if (truthy(result)) {
                    return result;
                }
                value = result;
            } catch (AssertionError e) {
                value = e.getMessage();
            }
            sleep(POLL);
        }
        Path shot = Screenshots.dir().resolve("timeout-" + System.currentTimeMillis() + ".png");
        try {
            screenshot(shot);
        } catch (RuntimeException | IOException e) {
            shot = null;
        }
        throw new AssertionError("waited " + timeout + " for " + what + " (" + expression + "), last value " + value
                + "; page problems " + problems() + "; the page shows:\n" + eval("document.body.innerText").asText()
                + (shot != null ? "\nscreenshot: " + shot : ""));
    }

    /** Focuses the field and types into it as a keyboard would (input events, no value poking). */
    void type(String selector, String text) {
        eval("document.querySelector(" + js(selector) + ").focus()");
        send("Input.insertText", Map.of("text", text));
    }

    /**
     * A real left click in the middle of the element's first box (a link that wraps has two, and the middle of
     * their union may be blank), after scrolling it into view.
     */
    void click(String selector) {
        JsonNode box = waitFor(selector + " to be visible", "(() => { const e = document.querySelector(" + js(selector)
                + "); if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getClientRects()[0];"
                + " return r && r.width > 0 ? {x: r.x + r.width / 2, y: r.y + r.height / 2} : null; })()",
                Duration.ofSeconds(10));
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", Map.of("type", type, "x", box.get("x").asDouble(),
                    "y", box.get("y").asDouble(), "button", "left", "clickCount", 1));
        }
    }

    /** The whole page (beyond the window too) as PNG. */
    Path screenshot(Path file) throws IOException {
        JsonNode size = send("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
        JsonNode shot = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", size.path("width").asDouble(),
                        "height", size.path("height").asDouble(), "scale", 1)));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
        return file;
    }

    @Override
    public void close() {
        send("Page.close", Map.of());
    }

    /** A Java string as a JavaScript string literal. */
    static String js(String value) {
        return DevTools.JSON.valueToTree(value).toString();
    }

    private static boolean truthy(JsonNode value) {
        return value != null && !value.isMissingNode() && !value.isNull() && !(value.isBoolean() && !value.asBoolean())
                && !(value.isTextual() && value.asText().isEmpty()) && !(value.isNumber() && value.asDouble() == 0);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
