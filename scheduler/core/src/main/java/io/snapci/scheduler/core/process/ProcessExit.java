package io.snapci.scheduler.core.process;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Crash-only behaviour: when the scheduler meets a state it cannot account for (an event handler that threw, a run
 * record that could not be stored, the leadership lost), it does not log and go on with a picture of the world
 * that may be wrong. It ends the process with a named exit code and a line saying why; Marathon starts a fresh one,
 * and the restart path (resume from the store, reconcile with the master) rebuilds the picture from what is true.
 * dcos-commons' {@code ProcessExit} does the same for its schedulers.
 */
public interface ProcessExit {

    /** Why the process ends; each has its own exit code, so an operator can tell them apart in Marathon. */
    enum Reason {
        /** The Mesos master ended the framework (an ERROR event): nothing this process does reaches its tasks again. */
        FRAMEWORK_REMOVED(70),
        /** Handling an event from the master threw: what the launcher knows may no longer match the cluster. */
        EVENT_HANDLING_FAILED(71),
        /** A run's new state could not be stored: the update is left unacknowledged for the master to resend. */
        STATE_NOT_STORED(72),
        /** Another scheduler may lead now (the ZooKeeper session or the leader lock was lost). */
        LEADERSHIP_LOST(73);

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /**
     * Ends the process (or, in a test, the scheduler standing for one). Returns at once; the caller goes on failing
     * (throws) rather than acting on the state it could not account for. Only the first call counts.
     */
    void exit(Reason reason, String why);

    /** The real thing: logs, then exits the JVM from a thread of its own, so shutdown hooks can run. */
    static ProcessExit system(Consumer<String> log) {
        AtomicBoolean exiting = new AtomicBoolean();
        return (reason, why) -> {
            if (exiting.compareAndSet(false, true)) {
                log.accept("exiting with code " + reason.code() + " (" + reason + "): " + why
                        + "; Marathon restarts the scheduler, which takes the runs over from the store");
                Thread exit = new Thread(() -> System.exit(reason.code()), "snapci-process-exit");
                exit.start();
            }
        };
    }
}
