package io.snapci.tests.mesos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One agent's {@code /files/read} and {@code /files/browse} endpoints (mesos 1.11.0 {@code src/files/files.cpp},
 * docs/endpoints/files/*.md). The agent attaches each executor's sandbox at its real path, at
 * {@code <work_dir>/.../runs/latest} and at the virtual {@code /frameworks/F/executors/E/runs/latest}
 * ({@code src/slave/slave.cpp:10410-10448}); the default executor's tasks are under {@code tasks/T/} there (links to
 * their own sandboxes). A path is resolved by its longest attached prefix; what it names must stay inside the
 * attached directory once links are followed, else {@code '<path>' is inaccessible} (files.cpp:836-905).
 *
 * <p>{@code read}: {@code path}, {@code offset} (-1: only the size), {@code length} (-1 or absent: to the end);
 * answers {@code {"offset": ..., "data": ...}} with at most 16 pages (64 KiB) per call, however much was asked
 * (files.cpp:500-718); 400 for a missing path, a bad number, a directory; 404 for what is not there.
 * {@code browse}: the entries of a directory as {@code {path, nlink, size, mtime, mode, uid, gid}}
 * ({@code src/common/http.cpp:744-790}), sorted by path.
 *
 * <p>A scripted agent has no sandbox on disk: its files are what a story {@link #put}s at a virtual path.
 */
final class AgentFilesServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code os::pagesize() * 16} on 4 KiB pages. */
    static final int MAX_READ = 16 * 4096;

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Path> attached = new ConcurrentHashMap<>();

    AgentFilesServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/files/read", this::read);
        server.createContext("/files/browse", this::browse);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    static String taskSandbox(String frameworkId, String executorId, String taskId) {
        return executorVirtualPath(frameworkId, executorId) + "/tasks/" + taskId;
    }

    /** {@code paths::getExecutorVirtualPath} ({@code src/slave/paths.cpp}). */
    static String executorVirtualPath(String frameworkId, String executorId) {
        return "/frameworks/" + frameworkId + "/executors/" + executorId + "/runs/latest";
    }

    /** A scripted task's file. */
    void put(String virtualPath, String content) {
        files.put(virtualPath, content.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code Files::attach}: {@code path} (a real directory or file) is served at {@code virtualPath}. */
    void attach(Path path, String virtualPath) {
        attached.put(strip(virtualPath), path);
    }

    /** Why {@code offset} or {@code length} was refused: the body of the 400. */
    private static final class BadNumber extends Exception {
        BadNumber(String message) {
            super(message);
        }
    }

    /**
     * {@code offset} or {@code length} as {@code /files/read} parses both (files.cpp:500-718): absent is -1; a value
     * that is not a number, or is below -1, is refused with the agent's words.
     */
    private static long numberParameter(Map<String, String> query, String name) throws BadNumber {
        if (!query.containsKey(name)) {
            return -1;
        }
        Optional<Long> n = number(query.get(name));
        if (n.isEmpty()) {
            throw new BadNumber("Failed to parse " + name + ": Failed to convert '" + query.get(name)
                    + "' to number.\n");
        }
        if (n.get() < -1) {
            throw new BadNumber("Negative " + name + " provided: " + n.get() + ".\n");
        }
        return n.get();
    }

    private void read(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = query.get("path");
            if (path == null || path.isEmpty()) {
                answer(exchange, 400, "text/plain", "Expecting 'path=value' in query.\n");
                return;
            }
            long offset;
            Long length;
            try {
                offset = numberParameter(query, "offset");
                long asked = numberParameter(query, "length");
                length = asked > -1 ? asked : null;
            } catch (BadNumber e) {
                answer(exchange, 400, "text/plain", e.getMessage());
                return;
            }
            long from = offset;
            if (offset == -1) { // files.cpp:556-562: the size only
                from = 0;
                length = 0L;
            }
            Resolved resolved = resolve(path);
            if (resolved.error() != null) {
                answer(exchange, 400, "text/plain", resolved.error() + ".\n");
                return;
            }
            byte[] content;
            if (resolved.memory() != null) {
                content = resolved.memory();
            } else if (resolved.file() == null) {
                answer(exchange, 404, "text/plain", "");
                return;
            } else if (Files.isDirectory(resolved.file())) {
                answer(exchange, 400, "text/plain", "Cannot read a directory.\n");
                return;
            } else {
                content = null;
            }
            long size = content != null ? content.length : Files.size(resolved.file());
            String data = "";
            if (from < size && (length == null || length > 0)) {
                long want = Math.min(length == null ? size - from : length, MAX_READ);
                int n = (int) Math.min(want, size - from);
                byte[] bytes = new byte[n];
                if (content != null) {
                    System.arraycopy(content, (int) from, bytes, 0, n);
                } else {
                    try (RandomAccessFile file = new RandomAccessFile(resolved.file().toFile(), "r")) {
                        file.seek(from);
                        file.readFully(bytes);
                    }
                }
                data = new String(bytes, StandardCharsets.UTF_8);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("offset", offset == -1 ? size : offset);
            body.put("data", data);
            answer(exchange, 200, "application/json", JSON.writeValueAsString(body));
        }
    }

    private void browse(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = query(exchange.getRequestURI().getRawQuery()).get("path");
            if (path == null || path.isEmpty()) {
                answer(exchange, 400, "text/plain", "Expecting 'path=value' in query.\n");
                return;
            }
            Resolved resolved = resolve(path);
            if (resolved.error() != null) {
                answer(exchange, 400, "text/plain", resolved.error() + ".\n");
                return;
            }
            if (resolved.file() == null) {
                answer(exchange, 404, "text/plain", "");
                return;
            }
            TreeMap<String, Map<String, Object>> listing = new TreeMap<>();
            if (Files.isDirectory(resolved.file())) {
                try (var entries = Files.list(resolved.file())) {
                    for (Path entry : entries.toList()) {
                        fileInfo(strip(path) + "/" + entry.getFileName(), entry)
                                .ifPresent(info -> listing.put(entry.toString(), info));
                    }
                }
            }
            answer(exchange, 200, "application/json", JSON.writeValueAsString(new ArrayList<>(listing.values())));
        }
    }

    private record Resolved(Path file, byte[] memory, String error) {
    }

    /** {@code FilesProcess::resolve}: longest attached prefix, then the suffix, canonicalized and kept inside. */
    private Resolved resolve(String virtualPath) throws IOException {
        String path = strip(virtualPath);
        byte[] memory = files.get(path);
        if (memory != null) {
            return new Resolved(null, memory, null);
        }
        List<String> tokens = new ArrayList<>(List.of(path.split("/", -1)));
        String suffix = "";
        while (!tokens.isEmpty()) {
            String prefix = String.join("/", tokens);
            Path root = attached.get(prefix);
            if (root == null) {
                String last = tokens.remove(tokens.size() - 1);
                suffix = suffix.isEmpty() ? last : last + "/" + suffix;
                continue;
            }
            if (!Files.isDirectory(root)) {
                return suffix.isEmpty() ? new Resolved(root, null, null) : new Resolved(null, null, null);
            }
            Path candidate = suffix.isEmpty() ? root : root.resolve(suffix);
            if (!Files.exists(candidate)) {
                return new Resolved(null, null, null);
            }
            Path real = candidate.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                return new Resolved(null, null, "'" + candidate + "' is inaccessible");
            }
            return new Resolved(real, null, null);
        }
        return new Resolved(null, null, null);
    }

    /** {@code createFileInfo} + {@code model(FileInfo)}: stat (links followed), owner and group by name. */
    private static Optional<Map<String, Object>> fileInfo(String virtualPath, Path file) {
        try {
            PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("path", virtualPath);
            info.put("nlink", Files.getAttribute(file, "unix:nlink"));
            info.put("size", attrs.size());
            info.put("mtime", (double) attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.SECONDS));
            info.put("mode", mode(attrs));
            info.put("uid", attrs.owner().getName());
            info.put("gid", attrs.group().getName());
            return Optional.of(info);
        } catch (IOException e) {
            return Optional.empty(); // files.cpp:456-459: an entry whose stat fails is left out
        }
    }

    private static String mode(PosixFileAttributes attrs) {
        StringBuilder mode = new StringBuilder(attrs.isDirectory() ? "d" : attrs.isSymbolicLink() ? "l"
                : attrs.isOther() ? "p" : "-");
        var p = attrs.permissions();
        mode.append(p.contains(PosixFilePermission.OWNER_READ) ? 'r' : '-')
                .append(p.contains(PosixFilePermission.OWNER_WRITE) ? 'w' : '-')
                .append(p.contains(PosixFilePermission.OWNER_EXECUTE) ? 'x' : '-')
                .append(p.contains(PosixFilePermission.GROUP_READ) ? 'r' : '-')
                .append(p.contains(PosixFilePermission.GROUP_WRITE) ? 'w' : '-')
                .append(p.contains(PosixFilePermission.GROUP_EXECUTE) ? 'x' : '-')
                .append(p.contains(PosixFilePermission.OTHERS_READ) ? 'r' : '-')
                .append(p.contains(PosixFilePermission.OTHERS_WRITE) ? 'w' : '-')
                .append(p.contains(PosixFilePermission.OTHERS_EXECUTE) ? 'x' : '-');
        return mode.toString();
    }

    private static String strip(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
