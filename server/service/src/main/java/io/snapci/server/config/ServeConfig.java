package io.snapci.server.config;

import io.snapci.model.Timeouts;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything {@code snapci serve} was configured with, typed and checked. Built by {@link ServeConfigLoader}.
 *
 * @param mode              local or mesos
 * @param httpHost          the address to listen on
 * @param httpPort          the port; 0 picks a free one
 * @param maxConcurrentRuns runs executed at once
 * @param maxQueuedRuns     runs that may wait in QUEUED
 * @param shutdownTimeout   how long a graceful shutdown waits for runs to clean up
 * @param workRoot          local mode: copies, logs, run records
 * @param defaultWorkDir    local mode: where a test command runs when its spec names no workDir
 * @param auth              who may call the API
 * @param mesosMaster       mesos mode: the master's URL
 * @param zkUrl             mesos mode: where state lives
 * @param defaultTimeouts   the timeouts of a run whose spec gives none
 * @param cluster           mesos mode: the framework, Portworx and task settings; null in local mode
 * @param retention         how long ended runs are kept
 * @param masking           the masking rule sets and which sources require them
 */
public record ServeConfig(Mode mode, String httpHost, int httpPort, int maxConcurrentRuns, int maxQueuedRuns,
                          Duration shutdownTimeout, Path workRoot, Path defaultWorkDir, AuthConfig auth,
                          String mesosMaster, String zkUrl, Timeouts defaultTimeouts, ClusterConfig cluster,
                          RetentionConfig retention, MaskingPolicy masking) {

    public enum Mode { LOCAL, MESOS }

    public ServeConfig withAuth(AuthConfig newAuth) {
        return new ServeConfig(mode, httpHost, httpPort, maxConcurrentRuns, maxQueuedRuns, shutdownTimeout, workRoot,
                defaultWorkDir, newAuth, mesosMaster, zkUrl, defaultTimeouts, cluster, retention, masking);
    }

    public ServeConfig withHttpPort(int port) {
        return new ServeConfig(mode, httpHost, port, maxConcurrentRuns, maxQueuedRuns, shutdownTimeout, workRoot,
                defaultWorkDir, auth, mesosMaster, zkUrl, defaultTimeouts, cluster, retention, masking);
    }
}
