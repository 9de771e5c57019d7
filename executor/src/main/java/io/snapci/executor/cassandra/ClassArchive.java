package io.snapci.executor.cassandra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The JDK's application class-data archive (AppCDS) of one Cassandra runtime on one JDK: the classes a node loads,
 * parsed and verified once and then mapped into each later node's JVM (about a quarter of its start). The first
 * node of a runtime+JDK runs with {@code -XX:ArchiveClassesAtExit} and leaves the archive when its JVM exits;
 * later nodes run with {@code -XX:SharedArchiveFile}.
 *
 * <p>Safety is the JVM's: it checks an archive's JDK build and the classpath's jars (names, sizes, times) before it
 * maps it, and without {@code -Xshare:on} it starts without the archive when any check fails or the file is not
 * an archive at all. A class from the archive is the same class as from its jar, so results cannot differ.
 * The key here keeps one runtime's archive from being offered to another, and each archive is checked once with
 * {@code -Xshare:on} (and again whenever its size or time changes), so a damaged one is written again instead of
 * being silently ignored by every later node.
 *
 * @param dir where archives are kept (the work root's {@code class-archives})
 */
record ClassArchive(Path dir) {

    /** The archive for this runtime and its JDK (it may not exist yet). */
    Path archiveFor(CassandraRuntime runtime) throws IOException {
        return dir.resolve("cassandra-" + key(runtime) + ".jsa");
    }

    /**
     * The flags for a node about to start: use the archive when there is one; otherwise have the node's JVM write
     * one into {@code scratch} (a file the node's user can write) when it exits, for {@link #publish} to move.
     */
    List<String> flags(CassandraRuntime runtime, Path scratch) throws IOException {
        Path archive = archiveFor(runtime);
        if (Files.isRegularFile(archive) && (checkedAsIs(archive) || check(runtime, archive))) {
            return List.of("-XX:SharedArchiveFile=" + archive);
        }
        Files.deleteIfExists(archive);  // not one the JVM would map: write a new one instead
        return List.of("-XX:ArchiveClassesAtExit=" + scratch);
    }

    /**
     * Whether the JVM maps this archive for this runtime: {@code -Xshare:on} makes it fail instead of falling back
     * (about 80 ms). Passing, the archive's size and time are noted next to it, so later nodes only compare those.
     */
    boolean check(CassandraRuntime runtime, Path archive) throws IOException {
        Process java = new ProcessBuilder(runtime.javaBinary().toString(), "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-cp", runtime.classpath(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!java.waitFor(30, TimeUnit.SECONDS)) {
                java.destroyForcibly();
                return false;
            }
        } catch (InterruptedException e) {
            java.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
        if (java.exitValue() != 0) {
            return false;
        }
        Files.writeString(checkedNote(archive), describe(archive), StandardCharsets.UTF_8);
        return true;
    }

    private static boolean checkedAsIs(Path archive) throws IOException {
        Path note = checkedNote(archive);
        return Files.isRegularFile(note) && Files.readString(note, StandardCharsets.UTF_8).equals(describe(archive));
    }

    private static Path checkedNote(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".checked");
    }

    /**
     * After the node that wrote {@code scratch} has exited: makes it the runtime's archive (atomically, so a node
     * starting meanwhile sees no half-written file; two first nodes at once simply both write one). A node killed
     * before it could write one leaves nothing, and the next node tries again.
     */
    void publish(CassandraRuntime runtime, Path scratch) {
        try {
            if (!Files.isRegularFile(scratch) || Files.size(scratch) == 0) {
                Files.deleteIfExists(scratch);
                return;
            }
            Files.createDirectories(dir);
            Path incoming = dir.resolve(".incoming-" + UUID.randomUUID() + ".jsa");
            Files.copy(scratch, incoming);  // the scratch file may be on another file system (a run's sandbox)
            try {
                Files.move(incoming, archiveFor(runtime), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(incoming, archiveFor(runtime), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(scratch);
            check(runtime, archiveFor(runtime));
            pruneOthers(archiveFor(runtime));
        } catch (IOException e) {
            // No archive this time: the next node starts without one and writes another. Never a failed run.
        }
    }

    /**
     * Deletes other runtimes' archives written more than {@link #KEEP_OTHERS} ago (~55 MB each: an upgraded JDK or
     * Cassandra leaves its old one behind), and copies a crash left half-done. A runtime still in use whose archive
     * is deleted writes a new one at its next node's stop.
     */
    void pruneOthers(Path keep) throws IOException {
        long now = System.currentTimeMillis();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                long age = now - Files.getLastModifiedTime(file).toMillis();
                boolean otherArchive = name.startsWith("cassandra-") && !name.startsWith(keep.getFileName().toString())
                        && age > KEEP_OTHERS.toMillis();
                boolean leftover = name.startsWith(".incoming-") && age > Duration.ofHours(1).toMillis();
                if (otherArchive || leftover) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    static final Duration KEEP_OTHERS = Duration.ofDays(7);

    /**
     * The runtime's jars (names, sizes, modification times), the java binary's real path and its JDK's module
     * image (which every JDK build replaces, even when the launcher binary stays the same).
     */
    static String key(CassandraRuntime runtime) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path java = runtime.javaBinary().toRealPath();
        StringBuilder text = new StringBuilder("java=").append(java).append('\n');
        Path modules = java.getParent().getParent().resolve("lib").resolve("modules");
        if (Files.isRegularFile(modules)) {
            text.append(describe(modules));
        }
        try (Stream<Path> jars = Files.list(runtime.libDir())) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                text.append(describe(jar));
            }
        }
        byte[] hash = digest.digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, 8);
    }

    private static String describe(Path file) throws IOException {
        return file.getFileName() + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis() + "\n";
    }
}
