package io.snapci.model;

import java.nio.file.Path;

/** Where snapci keeps its copies, logs and records on one machine when no work root is given. */
public final class SnapciHome {

    public static final String ENV = "SNAPCI_HOME";

    private SnapciHome() {
    }

    /** $SNAPCI_HOME, else ~/.snapci. */
    public static Path defaultWorkRoot() {
        String configured = System.getenv(ENV);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".snapci");
    }
}
