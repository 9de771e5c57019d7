package io.snapci.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.snapci.server.api.EventStreams;
import io.snapci.server.auth.Authenticator;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.events.RunEvents;
import io.snapci.server.metrics.ServeMetrics;
import io.snapci.server.runs.RunBackend;
import io.snapci.server.runs.RunDispatcher;
import io.snapci.server.runs.RunRetention;
import io.snapci.server.runs.RunSubmissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * What serve is made of whatever the mode: the dispatcher, idempotent submissions, events, metrics and
 * authentication, on top of the {@link RunBackend} that the mode's module binds ({@link ModeModules}).
 */
public final class ServeModule extends AbstractModule {

    private static final Logger LOG = LoggerFactory.getLogger("snapci.serve");

    private final ServeConfig config;

    public ServeModule(ServeConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(ServeConfig.class).toInstance(config);
        bind(Clock.class).toInstance(Clock.systemUTC());
        bind(RunEvents.class).in(Singleton.class);
        bind(EventStreams.class).in(Singleton.class);
        install(ModeModules.forConfig(config));
    }

    @Provides
    @Singleton
    RunDispatcher dispatcher(RunBackend backend) {
        return new RunDispatcher(backend, config.maxConcurrentRuns(), config.maxQueuedRuns(), LOG::info);
    }

    /** Serve owns it: started once runs are taken over, stopped at shutdown before the backend closes its store. */
    @Provides
    @Singleton
    RunRetention retention(RunBackend backend, Clock clock, io.snapci.server.audit.AuditRecorder audit) {
        return new RunRetention(backend.store(), backend.files(), config.retention(), clock, LOG::info,
                run -> audit.deletedByRetention(run, config.retention()));
    }

    @Provides
    @Singleton
    RunSubmissions submissions(RunDispatcher dispatcher, RunBackend backend) {
        return new RunSubmissions(dispatcher, backend.store());
    }

    @Provides
    @Singleton
    ServeMetrics metrics(RunBackend backend, RunDispatcher dispatcher, RunEvents events) {
        return new ServeMetrics(backend.cloneTimes(), dispatcher, events, backend.declineReasons());
    }

    @Provides
    @Singleton
    io.snapci.server.audit.AuditRecorder audit(RunBackend backend, Clock clock) {
        return new io.snapci.server.audit.AuditRecorder(backend.audit(), clock);
    }

    @Provides
    @Singleton
    io.snapci.server.audit.AuditRetention auditRetention(RunBackend backend, Clock clock) {
        return new io.snapci.server.audit.AuditRetention(backend.audit(), config.retention().auditMaxAge(), clock,
                LOG::info);
    }

    @Provides
    @Singleton
    Authenticator authenticator(Clock clock) {
        return new Authenticator(config.auth(), clock);
    }
}
