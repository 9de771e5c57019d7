package io.snapci.scheduler.mesos.launch;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a task's status update means for its run. The tests task's end is the run's verdict; any task lost to the
 * infrastructure sends the run to another agent; Cassandra ending on its own before the tests did is an error.
 */
public final class TaskOutcome {

    /**
     * States in which the task is gone through no fault of the tests: worth another agent. Not TASK_ERROR: the master
     * refused the task group itself, and would refuse it anywhere.
     */
    static final Set<TaskState> INFRASTRUCTURE_LOSS = EnumSet.of(TaskState.TASK_LOST, TaskState.TASK_GONE,
            TaskState.TASK_GONE_BY_OPERATOR, TaskState.TASK_DROPPED, TaskState.TASK_UNREACHABLE,
            TaskState.TASK_UNKNOWN);

    private static final Set<TaskState> TERMINAL = EnumSet.of(TaskState.TASK_FINISHED, TaskState.TASK_FAILED,
            TaskState.TASK_KILLED, TaskState.TASK_LOST, TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR,
            TaskState.TASK_DROPPED, TaskState.TASK_ERROR, TaskState.TASK_UNKNOWN);

    /** The default executor's message for a command that exited: "Command exited with status 7". */
    private static final Pattern EXIT_STATUS = Pattern.compile("exited with status (\\d+)");

    private TaskOutcome() {
    }

    public static boolean isTerminal(TaskState state) {
        return TERMINAL.contains(state);
    }

    public static boolean isInfrastructureLoss(TaskState state) {
        return INFRASTRUCTURE_LOSS.contains(state);
    }

    /** The exit status in a TASK_FAILED update, if the executor said it. */
    public static Optional<Integer> exitStatus(TaskStatus status) {
        Matcher m = EXIT_STATUS.matcher(status.getMessage());
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** One line for people: "TASK_LOST (REASON_AGENT_REMOVED: agent a1 removed)". */
    public static String describe(TaskStatus status) {
        StringBuilder text = new StringBuilder(status.getState().name());
        if (status.hasReason() || !status.getMessage().isEmpty()) {
            text.append(" (");
            if (status.hasReason()) {
                text.append(status.getReason().name());
            }
            if (!status.getMessage().isEmpty()) {
                text.append(status.hasReason() ? ": " : "").append(status.getMessage());
            }
            text.append(')');
        }
        return text.toString();
    }
}
