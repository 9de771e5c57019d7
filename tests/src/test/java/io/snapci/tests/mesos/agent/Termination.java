package io.snapci.tests.mesos.agent;

import java.util.List;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * How a container ended, as the agent answers the executor's WAIT_NESTED_CONTAINER (mesos 1.11.0
 * {@code ContainerTermination}): the wait status of its main process (absent when it never had one: a launch that
 * failed before the fork), and, when the agent ended it for a limitation, the state, reason, message and limited
 * resources it set ({@code src/slave/containerizer/mesos/containerizer.cpp:3260-3297}).
 */
record Termination(WaitStatus status, TaskState state, TaskStatus.Reason reason, String message,
        List<Resource> limited) {

    static Termination of(WaitStatus status) {
        return new Termination(status, null, null, null, List.of());
    }

    static Termination withoutStatus() {
        return new Termination(null, null, null, null, List.of());
    }

    /** What a limitation sets; the status is filled in when the process is reaped. */
    static Termination limitation(TaskStatus.Reason reason, String message, List<Resource> limited) {
        return new Termination(null, TaskState.TASK_FAILED, reason, message, limited);
    }

    Termination withStatus(WaitStatus s) {
        return new Termination(s, state, reason, message, limited);
    }
}
