package io.snapci.tests.mesos.agent;

import java.nio.file.Path;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What an executing agent tells its master. Called on the agent's own thread; an implementation hands the call to
 * the master's thread and returns.
 */
public interface AgentListener {

    /** A status update for one of the framework's tasks, as the agent forwards it (agent id set). */
    void statusUpdate(String frameworkId, TaskStatus status);

    /**
     * An executor container was created: its sandbox and the {@code runs/latest} link, which the agent attaches to
     * its {@code /files} endpoint ({@code src/slave/slave.cpp:10410-10448}).
     */
    void executorLaunched(String frameworkId, String executorId, Path sandbox, Path latestLink);

    /**
     * The executor is gone (mesos' ExitedExecutorMessage): {@code status} is its raw wait status, 0 for a default
     * executor that ran out of tasks, -1 when it could not even be started ({@code src/slave/slave.cpp:9845-9859}).
     */
    void executorExited(String frameworkId, String executorId, int status);
}
