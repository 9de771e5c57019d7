package io.snapci.scheduler.mesos.launch;

import java.util.Map;

/**
 * How snapci's task groups look in a cluster. Every value comes from serve's configuration table (its defaults
 * live there, server/service {@code ConfigKey}); tests build their own.
 *
 * @param cassandraImage      the Cassandra container image, e.g. {@code cassandra:5.0}
 * @param cassandraTaskUser   the user the cassandra task starts as: root, so the node launcher can run the node as
 *                            the uid that owns the copy's files (see docs/install.md for strict mode)
 * @param volumeDriver        the docker volume driver that mounts copies ({@code pxd} for Portworx)
 * @param volumeDriverOptions options passed to the driver with every mount
 * @param cassandraCpus       cpus of the Cassandra task
 * @param cassandraMemMb      memory of the Cassandra task (MB); its heap is half of it
 * @param testsCpus           default cpus of the tests task
 * @param testsMemMb          default memory of the tests task (MB)
 * @param executorCpus        cpus of the default executor itself
 * @param executorMemMb       memory of the default executor itself (MB)
 * @param executorDiskMb      sandbox disk of the default executor (MB): the master refuses a task group whose
 *                            executor asks for no disk (mesos src/master/validation.cpp, "Executor ... uses no disk")
 * @param executorArtifactUri where the tests task fetches snapci's executor bundle from (a scheduler endpoint)
 * @param role                the Mesos role the resources come from
 * @param maskKeySecret       the secret (a DC/OS secret store path) a masked run's cassandra task gets the masking
 *                            hash's key from, as a file-based secret volume; null: each run's node draws its own key
 * @param classArchiveHostPath the directory on each agent (a HOST_PATH volume) where the cassandra task keeps the
 *                            node's class-data archive across runs; null: none, each node starts without one
 */
public record MesosLaunchConfig(String cassandraImage, String cassandraTaskUser, String volumeDriver,
                                Map<String, String> volumeDriverOptions, double cassandraCpus, int cassandraMemMb,
                                double testsCpus, int testsMemMb, double executorCpus, int executorMemMb,
                                int executorDiskMb, String executorArtifactUri, String role,
                                String maskKeySecret, String classArchiveHostPath) {

    public MesosLaunchConfig {
        volumeDriverOptions = volumeDriverOptions == null ? Map.of() : Map.copyOf(volumeDriverOptions);
    }

    public double totalCpus() {
        return cassandraCpus + testsCpus + executorCpus;
    }

    public int totalMemMb() {
        return cassandraMemMb + testsMemMb + executorMemMb;
    }

    /** Sandbox disk a run asks for; the copy itself is a docker volume and needs none from the agent. */
    public int totalDiskMb() {
        return executorDiskMb;
    }
}
