package io.snapci.tests.cluster;

import io.snapci.tests.support.Snapci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * snapci's executor bundle as the build packages it ({@code packaging/}: the launchers, the executor's jars and a
 * jlinked Java 17), what agents fetch for every run's tasks. {@code mvn verify} builds it before the tests module
 * runs; a test run on its own needs {@code mvn -DskipTests -pl packaging -am package} first.
 */
public final class ExecutorBundle {

    private ExecutorBundle() {
    }

    public static Path locate() {
        Path target = Snapci.repoRoot().resolve("packaging").resolve("target");
        List<Path> found;
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            found = files.filter(p -> p.getFileName().toString().matches("snapci-.*-executor-linux-x86_64\\.tar\\.gz"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one executor bundle in " + target + ", found " + found
                    + ": build it with mvn -B -DskipTests -pl packaging -am package (mvn verify does it before the"
                    + " tests)");
        }
        Path bundle = found.get(0);
        Path executorClasses = Snapci.repoRoot().resolve("executor/target/classes");
        try (Stream<Path> classes = Files.isDirectory(executorClasses) ? Files.walk(executorClasses) : Stream.empty()) {
            long bundled = Files.getLastModifiedTime(bundle).toMillis();
            Path newer = classes.filter(Files::isRegularFile).filter(p -> modified(p) > bundled).findFirst()
                    .orElse(null);
            if (newer != null) {
                // A test against an old bundle would test old code under the new code's name.
                throw new IllegalStateException("the executor bundle " + bundle + " is older than " + newer
                        + ": rebuild it with mvn -B -DskipTests -pl packaging -am package");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bundle;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
