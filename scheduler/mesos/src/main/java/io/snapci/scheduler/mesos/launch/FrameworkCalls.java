package io.snapci.scheduler.mesos.launch;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.util.function.Consumer;

/**
 * The calls of one framework: stamps each with the FrameworkID of the current subscription and sends it. A call that
 * cannot be sent is logged, not retried here: the transport resubscribes, and each job retries what it must on its
 * own clock (KILLs, reconciliation, REVIVE) — nothing waits on a single call's answer.
 */
final class FrameworkCalls {

    private final CallSender sender;
    private final Consumer<String> log;
    private FrameworkID frameworkId;

    FrameworkCalls(CallSender sender, Consumer<String> log) {
        this.sender = sender;
        this.log = log;
    }

    void subscribedAs(FrameworkID id) {
        frameworkId = id;
    }

    /** Null before the first SUBSCRIBED. */
    FrameworkID frameworkId() {
        return frameworkId;
    }

    boolean subscribed() {
        return frameworkId != null;
    }

    /** Sends the call; whether it was accepted by the master. */
    boolean send(Call.Builder call) {
        if (frameworkId != null) {
            call.setFrameworkId(frameworkId);
        }
        try {
            sender.send(call.build());
            return true;
        } catch (Exception e) {
            log.accept(call.getType() + " failed: " + e.getMessage());
            return false;
        }
    }
}
