package io.snapci.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Mesos mode's settings beyond where the master and ZooKeeper are: the framework's identity, the Portworx SDK and
 * the CI tier, what a run's task group asks for, and the snapshot schedules. Built and checked by
 * {@link ServeConfigLoader}; every field has its {@link ConfigKey}.
 *
 * @param serviceAccountCredential DC/OS strict mode: {@code {"uid", "private_key", "login_endpoint"}}, or null
 * @param schedules                snapshot schedules, one line each: {@code name;volume;every 1h|cron ...;keepLast;maxAge}
 * @param baseCopies               CI-tier base copies, one line each: {@code name;volume;every 1h;keep}
 * @param tlsCaFile                a CA (PEM) the master, agents and DC/OS login are trusted with, or null
 * @param clusterCaBundle          the CA bundle DC/OS put into the sandbox (strict mode), or null when there is none
 * @param portworxVolumeApi        OpenStorage's volume REST API (group snapshots), or null: asked at the endpoint
 * @param maskingHashKeySecret     the DC/OS secret masked runs' nodes take the masking hash's key from, or null: a
 *                                 random key per run
 * @param classArchiveHostPath     the agents' directory for the node's class-data archive, or null: none
 */
public record ClusterConfig(String frameworkName, String role, String principal, String user, String executorUri,
                            String serviceAccountCredential, String portworxEndpoint, String portworxToken, String portworxCaFile,
                            String cloneCos, Map<String, String> ciNodeLabels, Map<String, String> ciPoolLabels,
                            Duration gcGrace, List<String> requiredAttributes, String cassandraImage,
                            String cassandraTaskUser, double cassandraCpus, int cassandraMemMb, double testsCpus,
                            int testsMemMb, int maxAttempts, List<String> schedules, Duration failoverTimeout,
                            String volumeDriver, double executorCpus, int executorMemMb, int executorDiskMb,
                            Duration zkSessionTimeout, Duration launchTimeout, List<String> baseCopies,
                            String tlsCaFile, Path clusterCaBundle, String portworxVolumeApi,
                            String maskingHashKeySecret, String classArchiveHostPath) {

    public ClusterConfig {
        ciNodeLabels = Map.copyOf(ciNodeLabels);
        ciPoolLabels = Map.copyOf(ciPoolLabels);
        requiredAttributes = List.copyOf(requiredAttributes);
        schedules = List.copyOf(schedules);
        baseCopies = baseCopies == null ? List.of() : List.copyOf(baseCopies);
    }

    @Override
    public String toString() {
        // Credentials never reach a log line through this record.
        return "ClusterConfig[framework " + frameworkName + ", role " + role + ", portworx " + portworxEndpoint
                + ", tier " + requiredAttributes + "]";
    }
}
