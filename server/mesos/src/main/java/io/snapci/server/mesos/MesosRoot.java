package io.snapci.server.mesos;

import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.runs.RunBackend;
import io.snapci.server.wiring.ModeRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
            return new MesosRunBackend(config, clock, config.workRoot().resolve("mesos-files"), LOG::info);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException("cannot start in mesos mode: " + e.getMessage(), e);
        }
    }
}
