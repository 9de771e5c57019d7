package io.snapci.scheduler.zookeeper;

import io.snapci.model.RunStatus;

/**
 * A run's record is too big for one znode. Nothing was written: the run's previous record, if any, is still there.
 *
 * <p>The store refuses rather than trims: it cannot know which part of a run is safe to lose, and a store that
 * returns something other than what was saved would lie to every reader. The list of failing tests is capped at
 * {@code TestCounts.MAX_LISTED_FAILURES} (each message at 500 characters by the JUnit report reader), so what is left
 * to grow is free text.
 */
public final class RunRecordTooLargeException extends ZkStoreException {

    private final int bytes;

    RunRecordTooLargeException(RunStatus run, String path, int bytes, int limit) {
        super("cannot save run " + run.id() + " to " + path + ": its record is " + bytes + " bytes of JSON, over the "
                + limit + " bytes one ZooKeeper znode can hold (jute.maxbuffer, 1 MiB by default); nothing was "
                + "written" + biggestPart(run), null);
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** The parts that can grow large, so that whoever reads the error knows where the bytes went. */
    private static String biggestPart(RunStatus run) {
        int failed = run.tests() == null ? 0 : run.tests().failed().size();
        int message = run.message() == null ? 0 : run.message().length();
        return " (it lists " + failed + " failing tests and has a message of " + message + " characters)";
    }
}
