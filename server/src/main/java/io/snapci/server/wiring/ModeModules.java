package io.snapci.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.runs.LocalRunBackend;
import io.snapci.server.runs.MesosRunBackend;
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
            case MESOS -> new MesosModule();
        };
    }

    /** A cluster: Mesos task groups on Portworx clones, state in ZooKeeper. */
    static final class MesosModule extends AbstractModule {
        private static final Logger LOG = LoggerFactory.getLogger("snapci.mesos");

        @Provides
        @Singleton
        RunBackend backend(ServeConfig config, Clock clock) {
            try {
                return new MesosRunBackend(config, clock, config.workRoot().resolve("mesos-files"), LOG::info);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ConfigException("cannot start in mesos mode: " + e.getMessage(), e);
            }
        }
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
