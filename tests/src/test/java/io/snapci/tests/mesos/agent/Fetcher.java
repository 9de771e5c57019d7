package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * One agent's fetcher: puts a task's {@code CommandInfo.uris} into its sandbox before the command runs, as mesos
 * 1.11.0 does it (the agent's {@code src/slave/containerizer/fetcher.cpp} and the {@code mesos-fetcher} program,
 * {@code src/launcher/fetcher.cpp}):
 * <ul>
 *   <li>URIs are validated first ({@code Could not fetch: <error>}: {@code Illegal characters in URI},
 *       {@code Malformed URI (missing path): <uri>}, {@code URI output file must be within the sandbox directory};
 *       agent fetcher.cpp:99-200, 369-376);</li>
 *   <li>{@code stdout} and {@code stderr} are created in the sandbox, owned by the task's user, and the fetcher's
 *       log goes to {@code stderr} (agent fetcher.cpp:750-800);</li>
 *   <li>each URI is downloaded to {@code <sandbox>/<output_file>} or {@code <sandbox>/<basename>} (the text after the
 *       last {@code /}, query included); HTTP other than 200 is
 *       {@code Error downloading resource, received HTTP return code <code>} (fetcher.cpp:195-260);
 *       {@code executable} → mode 0755 and no extraction; {@code extract} (default true) → unpacked into the sandbox
 *       root ({@link Archives});</li>
 *   <li>{@code cache: true}: the download goes into this agent's cache, keyed {@code <user>@<uri>}, and is extracted
 *       (or copied) from there; a second task of the same user on this agent does not download again
 *       (agent fetcher.cpp:378-440, 995-998; launcher fetcher.cpp:350-440);</li>
 *   <li>a failing URI: {@code Failed to fetch '<uri>': <error>} at the end of the sandbox's {@code stderr}, and the
 *       launch fails with {@code Failed to fetch all URIs for container '<parent>.<child>': exited with status 1}
 *       (launcher fetcher.cpp:611-616; agent fetcher.cpp:910-917).</li>
 * </ul>
 * Files are written as the task's user would write them: downloads are handed to that user, archives are unpacked
 * by a process running as that user. Every download from the source is counted ({@link #downloads()}).
 */
final class Fetcher {

    /** The fetch failed: {@code launchError} is what the executor's LAUNCH_CONTAINER answer says. */
    static final class FetchFailure extends Exception {
        FetchFailure(String launchError) {
            super(launchError);
        }
    }

    private final Path cacheRoot;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Path> cache = new HashMap<>();
    private final Map<String, Object> cacheLocks = new HashMap<>();
    private final AtomicInteger downloads = new AtomicInteger();
    private int cacheSerial;

    Fetcher(Path cacheRoot) {
        this.cacheRoot = cacheRoot;
        // The agent empties its fetcher cache when it starts (agent fetcher.cpp:77-86).
        AgentPaths.deleteTree(cacheRoot);
    }

    int downloads() {
        return downloads.get();
    }

    /**
     * Fetches every URI of {@code command} into {@code sandbox} as {@code user}.
     *
     * @param containerId the nested container's id as the agent prints it ({@code <parent>.<child>})
     */
    void fetch(CommandInfo command, Path sandbox, UserAccount user, String containerId) throws FetchFailure {
        if (command.getUrisCount() == 0) {
            return;
        }
        for (CommandInfo.URI uri : command.getUrisList()) {
            String invalid = validate(uri);
            if (invalid != null) {
                throw new FetchFailure("Could not fetch: " + invalid);
            }
        }
        Path stderr = sandbox.resolve("stderr");
        createOutput(sandbox.resolve("stdout"), user);
        createOutput(stderr, user);
        String fetchUser = command.hasUser() ? command.getUser() : user.name();
        for (CommandInfo.URI uri : command.getUrisList()) {
            log(stderr, "Fetching URI '" + uri.getValue() + "'");
            try {
                Path fetched = uri.getCache() ? fetchThroughCache(uri, sandbox, user, fetchUser, stderr)
                        : fetchBypassingCache(uri, sandbox, user, stderr);
                log(stderr, "Fetched '" + uri.getValue() + "' to '" + fetched + "'");
            } catch (IOException | Archives.ExtractFailure e) {
                log(stderr, "Failed to fetch '" + uri.getValue() + "': " + e.getMessage());
                throw new FetchFailure("Failed to fetch all URIs for container '" + containerId
                        + "': exited with status 1");
            }
        }
        log(stderr, "Successfully fetched all URIs into '" + sandbox + "'");
    }

    private Path fetchBypassingCache(CommandInfo.URI uri, Path sandbox, UserAccount user, Path log)
            throws IOException, Archives.ExtractFailure {
        log(log, "Fetching '" + uri.getValue() + "' directly into the sandbox directory");
        Path destination = destination(uri, sandbox, user);
        download(uri.getValue(), destination, log);
        AgentPaths.chown(destination, user);
        if (uri.getExecutable()) {
            makeExecutable(destination);
        } else if (uri.getExtract()) {
            extractOrWarn(destination, sandbox, user, uri, log);
        }
        return destination;
    }

    private Path fetchThroughCache(CommandInfo.URI uri, Path sandbox, UserAccount user, String fetchUser, Path log)
            throws IOException, Archives.ExtractFailure {
        String key = fetchUser + "@" + uri.getValue();
        Path cached = cachedCopy(key, uri, user, log);
        log(log, "Fetching URI '" + uri.getValue() + "' from cache");
        Path destination = destination(uri, sandbox, user);
        if (uri.getExecutable()) {
            Files.copy(cached, destination, StandardCopyOption.REPLACE_EXISTING);
            AgentPaths.chown(destination, user);
            makeExecutable(destination);
            return destination;
        }
        if (uri.getExtract() && Archives.extract(cached, sandbox, user)) {
            log(log, "Extracted '" + cached + "' into '" + sandbox + "'");
            return sandbox;
        }
        Files.copy(cached, destination, StandardCopyOption.REPLACE_EXISTING);
        AgentPaths.chown(destination, user);
        return destination;
    }

    /** The cache file for {@code key}, downloading it first if nobody has; concurrent fetches wait for one. */
    private Path cachedCopy(String key, CommandInfo.URI uri, UserAccount user, Path log) throws IOException {
        Object lock;
        synchronized (cache) {
            lock = cacheLocks.computeIfAbsent(key, k -> new Object());
        }
        synchronized (lock) {
            synchronized (cache) {
                Path existing = cache.get(key);
                if (existing != null && Files.exists(existing)) {
                    return existing;
                }
            }
            Path dir = cacheRoot.resolve(user.name());
            Files.createDirectories(dir);
            AgentPaths.chown(dir, user);
            String base = basename(uri.getValue());
            String shortBase = base.length() > 20 ? base.substring(0, 10) + "_" + base.substring(base.length() - 10)
                    : base;
            Path file;
            synchronized (cache) {
                file = dir.resolve("c" + (++cacheSerial) + "-" + shortBase); // agent fetcher.cpp:958-991
            }
            try {
                download(uri.getValue(), file, log);
            } catch (IOException e) {
                Files.deleteIfExists(file); // a failed download removes its entry (agent fetcher.cpp:587-596)
                throw e;
            }
            AgentPaths.chown(file, user);
            synchronized (cache) {
                cache.put(key, file);
            }
            return file;
        }
    }

    private void extractOrWarn(Path archive, Path sandbox, UserAccount user, CommandInfo.URI uri, Path log)
            throws Archives.ExtractFailure {
        if (Archives.extract(archive, sandbox, user)) {
            log(log, "Extracted '" + archive + "' into '" + sandbox + "'");
        } else {
            log(log, "Copying instead of extracting resource from URI with 'extract' flag, because it does not"
                    + " seem to be an archive: " + uri.getValue());
        }
    }

    private static Path destination(CommandInfo.URI uri, Path sandbox, UserAccount user) throws IOException {
        String name = uri.hasOutputFile() ? uri.getOutputFile() : basename(uri.getValue());
        Path destination = sandbox.resolve(name);
        Path parent = destination.getParent();
        if (!parent.equals(sandbox) && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            for (Path p = parent; !p.equals(sandbox); p = p.getParent()) {
                AgentPaths.chown(p, user);
            }
        }
        return destination;
    }

    /** Local paths and {@code file://} are copied, {@code http(s)://} downloaded; the rest would need Hadoop. */
    private void download(String rawUri, Path destination, Path log) throws IOException {
        String uri = rawUri.stripLeading();
        if (uri.startsWith("file://") || !uri.contains("://")) {
            String path = uri.startsWith("file://") ? uri.substring("file://".length()) : uri;
            if (path.startsWith("localhost")) {
                path = path.substring("localhost".length());
            }
            if (!path.startsWith("/")) {
                throw new IOException(uri.startsWith("file://") ? "File URI only supports absolute paths"
                        : "A relative path was passed for the resource but the Mesos framework home was not"
                        + " specified. Please either provide this config option or avoid using a relative path");
            }
            downloads.incrementAndGet();
            Files.copy(Path.of(path), destination, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        if (!(uri.startsWith("http://") || uri.startsWith("https://"))) {
            throw new IOException("Failed to create HDFS client: the peer agent has no Hadoop client (only local"
                    + " paths, file:// and http(s):// URIs are fetched here)");
        }
        log(log, "Downloading resource from '" + uri + "' to '" + destination + "'");
        downloads.incrementAndGet();
        HttpResponse<Path> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(destination,
                            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
        } catch (ConnectException e) {
            throw new IOException("Error downloading resource: Couldn't connect to server");
        } catch (UnknownHostException e) {
            throw new IOException("Error downloading resource: Couldn't resolve host name");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Error downloading resource: interrupted");
        }
        if (response.statusCode() != 200) {
            throw new IOException("Error downloading resource, received HTTP return code " + response.statusCode());
        }
    }

    private static void makeExecutable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x")); // fetcher.cpp:266-279
    }

    /** {@code Fetcher::basename}: the text after the last {@code /} of the path (agent fetcher.cpp:104-131). */
    static String basename(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme > 1) {
            return uri.substring(uri.lastIndexOf('/') + 1);
        }
        return Path.of(uri).getFileName().toString();
    }

    /** Fetcher::validateUri / validateOutputFile; null when fine. */
    private static String validate(CommandInfo.URI uri) {
        String value = uri.getValue();
        if (value.indexOf('\\') >= 0 || value.indexOf('\'') >= 0 || value.indexOf('\0') >= 0) {
            return "Illegal characters in URI";
        }
        int scheme = value.indexOf("://");
        if (scheme > 1) {
            String path = value.substring(scheme + 3);
            if (!path.contains("/") || path.length() <= path.indexOf('/') + 1) {
                return "Malformed URI (missing path): " + value;
            }
        }
        if (uri.hasOutputFile()) {
            if (uri.getOutputFile().isEmpty()) {
                return "URI output file path is empty";
            }
            if (uri.getOutputFile().startsWith("/")) {
                return "URI output file must be within the sandbox directory";
            }
        }
        return null;
    }

    private static void createOutput(Path file, UserAccount user) {
        try {
            Files.write(file, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            AgentPaths.chown(file, user);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void log(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
