package io.snapci.server.local;

import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.runs.RunBackend;
import io.snapci.server.wiring.ModeRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** One machine: directory copies, local processes, one JSON file per run, under the work root. */
public final class LocalRoot implements ModeRoot {

    private static final Logger LOG = LoggerFactory.getLogger("snapci.local");

    @Override
    public ServeConfig.Mode mode() {
        return ServeConfig.Mode.LOCAL;
    }

    @Override
    public RunBackend backend(ServeConfig config, Clock clock) {
        CassandraRuntime runtime;
        try {
            runtime = CassandraRuntime.locate();
            runtime.verify();
        } catch (IllegalStateException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        LocalRunBackend backend = new LocalRunBackend(config.workRoot(), runtime, config.defaultWorkDir(), clock,
                LOG::info);
        backend.maskWith(config.masking().hashKey());
        return backend;
    }
}
