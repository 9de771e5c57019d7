package io.snapci.tests.mesos;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/** A launched task: what was asked, where it runs, its latest state, and its scripted future. Master thread only. */
final class TaskRecord {

    final TaskInfo info;
    final String frameworkId;
    final String agentId;
    final ExecutorInfo executor;
    /** The task ids of its group (itself included), for the default executor's kill-the-group rule. */
    final List<String> group;
    /** Its resources, unallocated, given back when it reaches a terminal state. */
    final ResourceBag resources;
    TaskState state = TaskState.TASK_STAGING;
    TaskStatus latest;
    boolean killing;
    /** Its update of a terminal state was acknowledged: the master forgets it ("completed"). */
    boolean completed;
    final List<ScheduledFuture<?>> script = new ArrayList<>();

    TaskRecord(TaskInfo info, String frameworkId, String agentId, ExecutorInfo executor, List<String> group,
            ResourceBag resources) {
        this.info = info;
        this.frameworkId = frameworkId;
        this.agentId = agentId;
        this.executor = executor;
        this.group = group;
        this.resources = resources;
    }

    String id() {
        return info.getTaskId().getValue();
    }

    boolean terminal() {
        return TaskStates.isTerminal(state);
    }

    void cancelScript() {
        script.forEach(f -> f.cancel(false));
        script.clear();
    }
}
