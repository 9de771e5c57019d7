package io.snapci.executor.junit;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Finds the report files a glob names, relative to the work dir, written by this run. Reports left by an earlier
 * build in the same checkout (an old target/surefire-reports) must not count: their results are not this code's.
 */
final class ReportFinder {

    /** File systems store mtimes coarsely (1-2 s on some) and clocks drift a little between kernel and JVM. */
    static final Duration MTIME_SLACK = Duration.ofSeconds(2);

    private ReportFinder() {
    }

    static List<Path> find(Path workDir, String glob, Instant notBefore) {
        PathMatcher matcher = workDir.getFileSystem().getPathMatcher("glob:" + glob);
        // Java's "**/" needs at least one directory; build tools' globs also match at the top: allow both.
        PathMatcher topLevel = glob.startsWith("**/")
                ? workDir.getFileSystem().getPathMatcher("glob:" + glob.substring(3)) : null;
        Instant cutoff = notBefore == null ? null : notBefore.minus(MTIME_SLACK);
        List<Path> found = new ArrayList<>();
        Path start = workDir.resolve(literalPrefix(glob));
        if (!Files.isDirectory(start)) {
            return found;
        }
        try {
            Files.walkFileTree(start, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            Path relative = workDir.relativize(file);
                            boolean matches = matcher.matches(relative)
                                    || topLevel != null && topLevel.matches(relative);
                            boolean fresh = cutoff == null || !attrs.lastModifiedTime().toInstant().isBefore(cutoff);
                            if (matches && fresh && attrs.isRegularFile()) {
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // an unreadable corner must not hide the rest
                        }
                    });
        } catch (IOException e) {
            // walkFileTree only throws for the start directory, checked above; whatever was found still counts
        }
        found.sort(null);
        return found;
    }

    /**
     * The directories at the start of the glob that contain no pattern characters: walking only below them keeps
     * {@code target/surefire-reports/*.xml} from walking a whole node_modules.
     */
    static String literalPrefix(String glob) {
        String[] parts = glob.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.equals("..") || part.chars().anyMatch(c -> "*?[]{}\\".indexOf(c) >= 0)) {
                break;
            }
            if (!prefix.isEmpty()) {
                prefix.append('/');
            }
            prefix.append(part);
        }
        return prefix.toString();
    }
}
