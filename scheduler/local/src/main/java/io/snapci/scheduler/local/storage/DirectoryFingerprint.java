package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a directory tree holds, file by file: SHA-256 of the content, inode, size, modification time and
 * permissions. Taken before and after a run, it proves a source was not changed.
 */
public record DirectoryFingerprint(Path root, Map<String, FileFacts> files) {

    /** One file's facts; two equal facts mean the file was not touched. */
    public record FileFacts(String sha256, Object inode, long size, long modifiedMillis, String permissions) {
    }

    public static DirectoryFingerprint of(Path root) {
        Map<String, FileFacts> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                files.put(root.relativize(file).toString(), facts(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fingerprint " + root, e);
        }
        return new DirectoryFingerprint(root, files);
    }

    private static FileFacts facts(Path file) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Object inode = Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        return new FileFacts(sha256(file), inode, attrs.size(), attrs.lastModifiedTime().toMillis(),
                java.nio.file.attribute.PosixFilePermissions.toString(attrs.permissions()));
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every difference from {@code before}, as lines for a person; empty when nothing changed. */
    public List<String> differencesFrom(DirectoryFingerprint before) {
        List<String> changes = new ArrayList<>();
        before.files.forEach((name, facts) -> {
            FileFacts now = files.get(name);
            if (now == null) {
                changes.add("deleted: " + name);
            } else if (!Objects.equals(now, facts)) {
                changes.add("changed: " + name + " (" + facts + " -> " + now + ")");
            }
        });
        files.keySet().stream().filter(name -> !before.files.containsKey(name))
                .forEach(name -> changes.add("added: " + name));
        return changes;
    }

    public long totalBytes() {
        return files.values().stream().mapToLong(FileFacts::size).sum();
    }
}
