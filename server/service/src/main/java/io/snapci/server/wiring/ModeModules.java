package io.snapci.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.runs.RunBackend;

import java.time.Clock;
import java.util.Locale;
import java.util.ServiceLoader;

/** Binds the {@link RunBackend} of the configured mode, built by that mode's {@link ModeRoot}. */
public final class ModeModules {

    private ModeModules() {
    }

    public static Module forConfig(ServeConfig config) {
        ModeRoot root = ServiceLoader.load(ModeRoot.class).stream().map(ServiceLoader.Provider::get)
                .filter(r -> r.mode() == config.mode()).findFirst()
                .orElseThrow(() -> new ConfigException("mode " + config.mode().name().toLowerCase(Locale.ROOT)
                        + " is not part of this build of snapci: serve it from the scheduler's distribution"
                        + " (snapci-<version>-scheduler-linux-x86_64.tar.gz), which carries every mode"));
        return new AbstractModule() {
            @Provides
            @Singleton
            RunBackend backend(ServeConfig serveConfig, Clock clock) {
                return root.backend(serveConfig, clock);
            }
        };
    }
}
