package io.snapci.scheduler.mesos.launch;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a task ended, as the default executor and the agent word it (Mesos 1.11.0), sorted into what it means for a
 * run: only the tests task's own "Command exited with status N" can be a test verdict; everything else — a limit the
 * container hit, a launch that failed (image, fetch, volume), a signal from outside, a task group Mesos refused — is
 * the infrastructure's, and says whether another agent could help.
 */
record TaskFailure(Kind kind, String text) {

    enum Kind {
        /** {@code Command exited with status N}: the command itself ended with N. */
        EXITED,
        /** The memory limit: the cgroups memory isolator's OOM kill. Another agent would do the same. */
        OUT_OF_MEMORY,
        /** The disk quota of the executor's sandbox. Another agent would do the same. */
        OUT_OF_DISK,
        /** The container never ran its command: image pull, volume mount, sandbox. Another agent may do better. */
        LAUNCH_FAILED,
        /** Killed by a signal it did not ask for (the agent, the kernel): not the tests' verdict. */
        SIGNALLED,
        /** The master refused the task group (TASK_ERROR): the same group is refused anywhere. */
        REFUSED
    }

    /** src/launcher/default_executor.cpp: "Command " + WSTRINGIFY(status), reasons and messages appended. */
    private static final Pattern EXITED = Pattern.compile("^Command exited with status (\\d+)");
    private static final Pattern SIGNAL = Pattern.compile("^Command terminated with signal");

    static TaskFailure of(TaskStatus status, boolean wasRunning) {
        String message = status.getMessage();
        String text = TaskOutcome.describe(status);
        if (status.getState() == TaskState.TASK_ERROR) {
            return new TaskFailure(Kind.REFUSED, text);
        }
        if (status.getReason() == TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY
                || message.contains("Memory limit exceeded")) {
            return new TaskFailure(Kind.OUT_OF_MEMORY, text);
        }
        if (status.getReason() == TaskStatus.Reason.REASON_CONTAINER_LIMITATION_DISK
                || message.contains("Disk usage")) {
            return new TaskFailure(Kind.OUT_OF_DISK, text);
        }
        if (EXITED.matcher(message).find()) {
            return new TaskFailure(Kind.EXITED, text);
        }
        if (SIGNAL.matcher(message).find()) {
            return new TaskFailure(Kind.SIGNALLED, text);
        }
        // A launch error is the agent's own text (the container never ran), and comes before TASK_RUNNING.
        return new TaskFailure(wasRunning ? Kind.SIGNALLED : Kind.LAUNCH_FAILED, text);
    }

    Optional<Integer> exitStatus() {
        Matcher m = EXITED.matcher(text.substring(text.indexOf('(') + 1));
        return kind == Kind.EXITED && m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** Whether another agent could do better: only a launch that failed there. */
    boolean worthAnotherAgent() {
        return kind == Kind.LAUNCH_FAILED;
    }

    /** For people: what happened to {@code task} and what to do. */
    String explain(String task, String memSetting) {
        return switch (kind) {
            case OUT_OF_MEMORY -> "The " + task + " task ran out of memory and was killed (" + text + "). Give it "
                    + "more: " + memSetting + ".";
            case OUT_OF_DISK -> "The " + task + " task's sandbox exceeded its disk quota (" + text + "). Raise "
                    + "executor.disk.";
            case LAUNCH_FAILED -> "The " + task + " task could not be started on its agent (" + text + ").";
            case SIGNALLED -> "The " + task + " task was killed from outside (" + text + "), not by its tests.";
            case REFUSED -> "Mesos refused the task group (" + text + "): check the package's task settings.";
            case EXITED -> "The " + task + " task " + text + ".";
        };
    }
}
