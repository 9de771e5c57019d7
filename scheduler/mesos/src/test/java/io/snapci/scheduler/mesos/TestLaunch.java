package io.snapci.scheduler.mesos;

import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;

import java.util.Map;

/** The task groups the unit tests launch: sized like a small CI run (serve's own defaults live in its config table). */
public final class TestLaunch {

    private TestLaunch() {
    }

    public static MesosLaunchConfig config(String executorUri) {
        return config(executorUri, null, null);
    }

    /** With the service's masking-key secret and the agents' class-archive directory (either may be null). */
    public static MesosLaunchConfig config(String executorUri, String maskKeySecret, String classArchiveHostPath) {
        return new MesosLaunchConfig("cassandra:5.0", "root", "pxd", Map.of(), 1.0, 2048, 1.0, 1024,
                0.1, 32, 512, executorUri, "snapci", maskKeySecret, classArchiveHostPath);
    }
}
