package io.snapci.tests.mesos.agent;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;

/**
 * The environment a task's command gets — that and nothing else, for the launch helper execs with exactly this
 * environment and not the agent's or the executor's (mesos 1.11.0 {@code launch.cpp:1202-1228, 1332-1333}). Built
 * as the containerizer builds it ({@code src/slave/containerizer/mesos/containerizer.cpp:1854-1924}), later entries
 * winning:
 * <ol>
 *   <li>the agent's extra environment — empty for LAUNCH_CONTAINER ({@code src/slave/http.cpp:3415-3419});</li>
 *   <li>{@code MESOS_SANDBOX}: the task's own sandbox (with an image the real agent says {@code /mnt/mesos/sandbox},
 *       where it mounts that sandbox; the peer gives the sandbox's real path, which holds the same files);</li>
 *   <li>the isolators': {@code LIBPROCESS_IP=0.0.0.0} with {@code network/cni}, the image's {@code Env} with
 *       {@code docker/runtime} ({@code docker/runtime.cpp:181-218});</li>
 *   <li>{@code CommandInfo.environment} without SECRET variables, which carries what the default executor appended:
 *       {@code MESOS_CONTAINER_IP} and {@code MESOS_ALLOCATION_ROLE} ({@code default_executor.cpp:528-541});</li>
 *   <li>{@code PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin} if nothing set a PATH
 *       ({@code launch.cpp:1224-1226}).</li>
 * </ol>
 * Not set for tasks of the default executor: {@code MESOS_TASK_ID}, {@code MESOS_FRAMEWORK_ID},
 * {@code MESOS_EXECUTOR_ID}, {@code MESOS_AGENT_ENDPOINT}, {@code MESOS_DIRECTORY}, {@code MESOS_CHECKPOINT} —
 * those are the executor's ({@code src/slave/slave.cpp:11399-11521}). The peer adds one variable of its own,
 * {@link ContainerRoot#ENV}, when the task has a container root stand-in.
 */
final class TaskEnvironment {

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private TaskEnvironment() {
    }

    static Map<String, String> build(Path sandbox, boolean networkCni, ImageCatalogue.Image image,
            CommandInfo command, ContainerRoot root) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MESOS_SANDBOX", sandbox.toString());
        if (networkCni) {
            env.put("LIBPROCESS_IP", "0.0.0.0");
        }
        if (image != null) {
            for (String entry : image.env()) {
                int eq = entry.indexOf('=');
                if (eq > 0) { // runtime.cpp skips entries without '='
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
        }
        for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
            if (v.getType() != Environment.Variable.Type.SECRET) {
                env.put(v.getName(), v.getValue());
            }
        }
        env.putIfAbsent("PATH", DEFAULT_PATH);
        if (root != null) {
            env.put(ContainerRoot.ENV, root.dir().toString());
        }
        return env;
    }
}
