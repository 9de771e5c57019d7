package io.snapci.server.wiring;

import io.snapci.server.config.ServeConfig;
import io.snapci.server.runs.RunBackend;

import java.time.Clock;

/**
 * A composition root: the one place that builds a mode's adapters and hands serve its {@link RunBackend}. The
 * service itself sees no adapter; each mode's root lives in its own module (server/local, server/mesos) and is found
 * with {@link java.util.ServiceLoader}, so a build carries only the modes it ships: the CLI one machine, the
 * scheduler's distribution both.
 */
public interface ModeRoot {

    ServeConfig.Mode mode();

    /**
     * Builds the mode's object graph. Throws {@link io.snapci.server.config.ConfigException} for settings that
     * cannot work, saying which to change.
     */
    RunBackend backend(ServeConfig config, Clock clock);
}
