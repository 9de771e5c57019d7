package io.snapci.tests.mesos.agent;

import java.nio.file.Path;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * The default executor's own container on the agent: its id, its sandbox, and the user it runs as —
 * {@code FrameworkInfo.user} (the agent's {@code --switch_user} is on by default, and a DEFAULT executor has no
 * {@code command} that could name another; {@code src/slave/slave.cpp:10331-10345}).
 */
record ExecutorContainer(FrameworkInfo framework, ExecutorInfo info, String containerId, Path sandbox, String user) {

    String frameworkId() {
        return framework.getId().getValue();
    }

    String executorId() {
        return info.getExecutorId().getValue();
    }
}
