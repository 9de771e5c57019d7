package io.snapci.packaging;

import java.nio.file.Path;

/** What the packaging POM tells its tests (system properties set by surefire and failsafe). */
final class BuildSettings {

    private BuildSettings() {
    }

    /** e.g. snapci-0.1.0-SNAPSHOT: the archives' names start with it. */
    static String archivePrefix() {
        return required("snapci.archive.prefix");
    }

    static String version() {
        return archivePrefix().substring("snapci-".length());
    }

    /** Where the archives are published: resource.json's URLs start with it. */
    static String artifactsUrl() {
        return required("snapci.artifacts.url");
    }

    /** packaging/target, where `mvn package` leaves the archives and the filled Universe package. */
    static Path distDir() {
        return Path.of(required("snapci.dist.dir"));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
        }
        return value;
    }
}
