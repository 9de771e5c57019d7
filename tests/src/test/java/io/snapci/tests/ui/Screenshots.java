package io.snapci.tests.ui;

import io.snapci.tests.support.Snapci;

import java.nio.file.Path;

/** Screenshots are build artifacts: {@code tests/target/ui-screenshots/} (CI keeps it; see the README). */
final class Screenshots {

    private Screenshots() {
    }

    static Path dir() {
        return Snapci.repoRoot().resolve("tests").resolve("target").resolve("ui-screenshots");
    }
}
