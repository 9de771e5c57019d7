package io.snapci.tests.support;

/** Ending what a test class's set-up opened, when the set-up may have stopped half-way. */
public final class Cleanup {

    private Cleanup() {
    }

    /**
     * Closes each of {@code resources} in the order given, skipping those never opened (null); every one is closed
     * even when an earlier one fails, and the first failure is thrown with the others suppressed in it.
     */
    public static void closeOpened(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
