package io.snapci.tests.ui;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium (Debian's {@code chromium} package) in its own profile, driven over the DevTools
 * protocol. Missing Chromium fails the tests, saying how to install it: the UI is only tested in a real browser.
 */
final class Chromium implements AutoCloseable {

    /** Where Debian installs it; {@code -Dsnapci.chromium=...} points elsewhere. */
    static final Path BINARY = Path.of(System.getProperty("snapci.chromium", "/usr/bin/chromium"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final DevTools devTools;

    private Chromium(Process process, DevTools devTools) {
        this.process = process;
        this.devTools = devTools;
    }

    static Chromium start(Path dir) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("Chromium is not installed (no " + BINARY + "): the web UI tests drive a"
                    + " real headless Chromium. Install it with 'apt-get install -y chromium' (.ci/run does), or"
                    + " point -Dsnapci.chromium at a Chromium binary.");
        }
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path log = dir.resolve("chromium.log");
        Process process = new ProcessBuilder(List.of(BINARY.toString(),
                "--headless",
                "--remote-debugging-port=0",          // any free port; Chromium writes it to DevToolsActivePort
                "--user-data-dir=" + profile,
                "--no-sandbox",                       // CI runs as root in a container, where the sandbox cannot start
                "--disable-dev-shm-usage",            // containers often have a tiny /dev/shm
                "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--window-size=1400,1000",
                "about:blank"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI endpoint = awaitEndpoint(process, profile.resolve("DevToolsActivePort"), log);
            return new Chromium(process, DevTools.connect(endpoint));
        } catch (Exception e) {
            kill(process);
            throw e;
        }
    }

    /** The file's first line is the port, the second the browser's WebSocket path. */
    private static URI awaitEndpoint(Process process, Path portFile, Path log) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + " at start: "
                        + Files.readString(log));
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (lines.size() >= 2) {
                    return URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Chromium did not open its DevTools port within " + START_TIMEOUT + ": "
                + Files.readString(log));
    }

    /** A new window at {@code url}, {@code width} x {@code height} CSS pixels. */
    BrowserPage open(String url, int width, int height) {
        // A window of its own: a tab behind another is hidden, and the UI stops polling in hidden tabs.
        String target = devTools.send(null, "Target.createTarget", Map.of("url", "about:blank", "newWindow", true))
                .get("targetId").asText();
        String session = devTools.send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId").asText();
        BrowserPage page = new BrowserPage(devTools, session, width, height);
        page.navigate(url);
        return page;
    }

    @Override
    public void close() {
        // Listed first: once the browser has exited, its children are no longer its descendants.
        List<ProcessHandle> children = process.descendants().toList();
        try {
            devTools.send(null, "Browser.close", Map.of());
        } catch (RuntimeException e) {
            // Already gone, or not answering: killed below.
        }
        devTools.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
            child.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(gone -> child).join();
        }
    }

    /** The browser and its renderer, GPU and zygote processes: no test leaves a process behind. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
