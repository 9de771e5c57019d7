package io.snapci.tests.mesos;

import java.util.EnumSet;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskState;

/** Mesos' terminal task states (mesos 1.11.0 {@code src/common/protobuf_utils.cpp} {@code isTerminalState}). */
final class TaskStates {

    private static final Set<TaskState> TERMINAL = EnumSet.of(TaskState.TASK_FINISHED, TaskState.TASK_FAILED,
            TaskState.TASK_KILLED, TaskState.TASK_LOST, TaskState.TASK_ERROR, TaskState.TASK_DROPPED,
            TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR);

    private TaskStates() {
    }

    static boolean isTerminal(TaskState state) {
        return TERMINAL.contains(state);
    }
}
