package io.snapci.cli.remote;

import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Debug output of the CLI's HTTP calls on standard error, for {@code -v} (each call: method, URL, status, time) and
 * {@code -vv} (their headers too, the Authorization header's value hidden). The dcos CLI asks for it with
 * {@code DCOS_LOG_LEVEL} ({@code dcos -v} gives info, {@code dcos -vv} debug). One setting for the process: a CLI
 * run is one user's one command.
 */
public final class HttpTrace {

    private static volatile int level;
    private static volatile PrintStream out = System.err;

    private HttpTrace() {
    }

    /** Raises the level (never lowers it: {@code -v} and DCOS_LOG_LEVEL add up to the more verbose). */
    public static void atLeast(int wanted) {
        level = Math.max(level, Math.min(wanted, 2));
    }

    /** The level DCOS_LOG_LEVEL (or DCOS_VERBOSITY) asks for: 1 for info, 2 for debug or trace. */
    public static int fromEnvironment(Map<String, String> env) {
        String logLevel = env.getOrDefault("DCOS_LOG_LEVEL", "").toLowerCase(Locale.ROOT);
        int fromLevel = switch (logLevel) {
            case "debug", "trace" -> 2;
            case "info" -> 1;
            default -> 0;
        };
        int fromVerbosity;
        try {
            fromVerbosity = Integer.parseInt(env.getOrDefault("DCOS_VERBOSITY", "0").strip());
        } catch (NumberFormatException e) {
            fromVerbosity = 0;
        }
        return Math.max(fromLevel, fromVerbosity);
    }

    /** For tests: where the output goes, and back to off. */
    static void reset(PrintStream to) {
        level = 0;
        out = to;
    }

    static void request(String method, URI uri, HttpURLConnection connection, boolean bearer) {
        if (level < 1) {
            return;
        }
        out.println("snapci: > " + method + " " + uri);
        if (level >= 2) {
            connection.getRequestProperties().forEach((name, values) -> header(">", name, values));
            if (bearer) {
                // The JDK leaves Authorization out of getRequestProperties(); say it is sent, not what it is.
                header(">", "Authorization", List.of("Bearer <token>"));
            }
        }
    }

    static void response(HttpURLConnection connection, int status, long startNanos) {
        if (level < 1) {
            return;
        }
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        out.println("snapci: < " + status + " from " + connection.getURL() + " in " + millis + " ms");
        if (level >= 2) {
            connection.getHeaderFields().forEach((name, values) -> {
                if (name != null) {
                    header("<", name, values);
                }
            });
        }
    }

    static void failed(URI uri, Exception e, long startNanos) {
        if (level >= 1) {
            out.println("snapci: < no answer from " + uri + " after " + (System.nanoTime() - startNanos) / 1_000_000
                    + " ms: " + e);
        }
    }

    private static void header(String direction, String name, List<String> values) {
        String shown = name.equalsIgnoreCase("Authorization") ? values.get(0).replaceAll(" .*", " (hidden)")
                : String.join(", ", values);
        out.println("snapci: " + direction + "   " + name + ": " + shown);
    }
}
