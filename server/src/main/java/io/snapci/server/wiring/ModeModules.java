package io.snapci.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.runs.LocalRunBackend;
import io.snapci.server.runs.RunBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** Picks the {@link RunBackend} for the configured mode. */
public final class ModeModules {

    private ModeModules() {
    }

    public static Module forConfig(ServeConfig config) {
        return switch (config.mode()) {
            case LOCAL -> new LocalModule();
            case MESOS -> throw mesosNotYet(config);
        };
    }

    /**
     * Mesos tasks mount their copy as a volume, so Mesos mode needs a snapshot driver that makes volume clones:
     * the Portworx driver (issue 4). A directory-copy driver would hand Mesos a path no agent can mount; serve
     * refuses rather than start something that cannot run a single run.
     */
    private static ConfigException mesosNotYet(ServeConfig config) {
        StringBuilder missing = new StringBuilder();
        if (config.mesosMaster() == null) {
            missing.append(" It also needs mesos.master.");
        }
        if (config.zkUrl() == null) {
            missing.append(" It also needs zk.url.");
        }
        return new ConfigException("mode=mesos needs the Portworx snapshot driver (volume clones that Mesos tasks "
                + "mount), which this build does not have yet. Run with mode=local until it lands." + missing);
    }

    /** One machine: directory copies, local processes, one JSON file per run, under the work root. */
    static final class LocalModule extends AbstractModule {
        private static final Logger LOG = LoggerFactory.getLogger("snapci.local");

        @Provides
        @Singleton
        RunBackend backend(ServeConfig config, Clock clock) {
            CassandraRuntime runtime;
            try {
                runtime = CassandraRuntime.locate();
                runtime.verify();
            } catch (IllegalStateException e) {
                throw new ConfigException(e.getMessage(), e);
            }
            return new LocalRunBackend(config.workRoot(), runtime, config.defaultWorkDir(), clock, LOG::info);
        }
    }
}
