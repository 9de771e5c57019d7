package io.snapci.server.mesos;

import io.snapci.scheduler.core.process.ProcessExit;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.runs.RunBackend;
import io.snapci.server.wiring.ModeRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

/** A cluster: Mesos task groups on Portworx clones, state in ZooKeeper. */
public final class MesosRoot implements ModeRoot {

    private static final Logger LOG = LoggerFactory.getLogger("snapci.mesos");

    @Override
    public ServeConfig.Mode mode() {
        return ServeConfig.Mode.MESOS;
    }

    @Override
    public RunBackend backend(ServeConfig config, Clock clock) {
        try {
            return new MesosRunBackend(config, clock, config.workRoot().resolve("mesos-files"), processId(config),
                    LOG::info, ProcessExit.system(LOG::error));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException("cannot start in mesos mode: " + e.getMessage(), e);
        }
    }

    /** host:port and pid: enough for an operator to find the leader from a standby's health answer. */
    private static String processId(ServeConfig config) {
        String host = System.getenv().getOrDefault("HOST", "");
        if (host.isEmpty()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown-host";
            }
        }
        return host + ":" + config.httpPort() + " (pid " + ProcessHandle.current().pid() + ")";
    }
}
