package io.snapci.server;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.snapci.scheduler.core.process.Threads;
import io.snapci.server.api.ApiApplication;
import io.snapci.server.api.EventStreams;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.events.RunEvents;
import io.snapci.server.metrics.ServeMetrics;
import io.snapci.server.runs.RunBackend;
import io.snapci.server.runs.RunDispatcher;
import io.snapci.server.runs.RunRetention;
import io.snapci.server.wiring.LocalApiToken;
import io.snapci.server.wiring.ServeModule;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code snapci serve}: the run backend chosen by configuration, runs taken over from the store, the REST API on an
 * embedded Grizzly server. {@link #close()} is the graceful shutdown.
 */
public final class SnapciServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("snapci.serve");
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /**
     * Jersey warns that each resource registered as an instance "does not implement any provider interfaces" and
     * then registers it as a resource all the same; the warning is noise on every start. Held strongly, or JUL
     * forgets the level.
     */
    private static final java.util.logging.Logger JERSEY_PROVIDERS =
            java.util.logging.Logger.getLogger("org.glassfish.jersey.internal.inject.Providers");

    static {
        JERSEY_PROVIDERS.setLevel(java.util.logging.Level.SEVERE);
    }

    private final ServeConfig config;
    private final RunBackend backend;
    private final RunDispatcher dispatcher;
    private final RunRetention retention;
    private final io.snapci.server.audit.AuditRetention auditRetention;
    private final EventStreams streams;
    private final HttpServer http;
    private final URI baseUri;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;

    /**
     * Long enough for a restarted scheduler to take its runs over before retention reads every stored run (or the
     * retention interval, if that is shorter).
     */
    private static final java.time.Duration RETENTION_FIRST_CHECK = java.time.Duration.ofMinutes(1);

    private SnapciServer(ServeConfig config, Injector injector) throws IOException {
        this.config = config;
        this.backend = injector.getInstance(RunBackend.class);
        this.dispatcher = injector.getInstance(RunDispatcher.class);
        this.retention = injector.getInstance(RunRetention.class);
        this.auditRetention = injector.getInstance(io.snapci.server.audit.AuditRetention.class);
        this.streams = injector.getInstance(EventStreams.class);
        backend.service().addObserver(injector.getInstance(RunEvents.class));
        backend.service().addObserver(injector.getInstance(ServeMetrics.class));
        backend.service().addObserver(injector.getInstance(io.snapci.server.audit.AuditRecorder.class));
        dispatcher.followLeadership(backend.leadership());
        if (backend.leadership().isLeader()) {
            takeOver();
        } else {
            LOG.info("another snapci holds the leader lock{}; serving as a standby until it goes",
                    backend.leadership().leader().map(l -> " (" + l + ")").orElse(""));
            backend.leadership().acquired().thenRunAsync(this::takeOverAsLeader,
                    runnable -> Threads.daemon("snapci-take-over").newThread(runnable).start());
        }
        this.http = GrizzlyHttpServerFactory.createHttpServer(
                URI.create("http://" + config.httpHost() + ":" + config.httpPort() + "/"),
                ApiApplication.create(injector), false);
        for (NetworkListener listener : http.getListeners()) {
            listener.setMaxHttpHeaderSize(MAX_HEADER_BYTES);
            listener.setMaxRequestHeaders(100);
            listener.registerAddOn(new NoH2cUpgrade());
        }
        try {
            http.start();
        } catch (IOException e) {
            dispatcher.shutdown(backend.cancelsRunsOnShutdown(), config.shutdownTimeout());
            throw new IOException("cannot listen on " + config.httpHost() + ":" + config.httpPort() + " ("
                    + e.getMessage() + "); is another server on that port? Set http.port.", e);
        }
        int port = http.getListeners().iterator().next().getPort();
        this.baseUri = URI.create("http://" + config.httpHost() + ":" + port + "/");
        LOG.info("snapci serve ({} mode) listening on {}; at most {} runs at once, {} queued", backend.mode(),
                baseUri, config.maxConcurrentRuns(), config.maxQueuedRuns());
        java.time.Duration interval = config.retention().interval();
        retention.start(interval.compareTo(RETENTION_FIRST_CHECK) < 0 ? interval : RETENTION_FIRST_CHECK);
        auditRetention.start(interval);
    }

    /**
     * Wires and starts a server. Throws {@link ConfigException} for a configuration that cannot work (the message
     * says what to change), {@link IOException} when the port cannot be bound.
     */
    public static SnapciServer start(ServeConfig config) throws IOException {
        ServeConfig effective = LocalApiToken.applyIfNeeded(config, LOG::info);
        Injector injector;
        try {
            injector = Guice.createInjector(new ServeModule(effective));
            injector.getInstance(RunBackend.class);
        } catch (CreationException | ProvisionException e) {
            throw unwrapConfig(e);
        }
        return new SnapciServer(effective, injector);
    }

    private static RuntimeException unwrapConfig(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException config) {
                return config;
            }
        }
        for (var message : e instanceof CreationException c ? c.getErrorMessages()
                : ((ProvisionException) e).getErrorMessages()) {
            if (message.getCause() instanceof ConfigException config) {
                return config;
            }
        }
        return e;
    }

    private void takeOverAsLeader() {
        LOG.info("this snapci leads now; taking the runs over");
        try {
            takeOver();
        } catch (RuntimeException e) {
            LOG.error("taking the runs over failed", e);
        }
    }

    /** Runs a previous process left: taken over by the backend, and executed here within the dispatcher's limit. */
    private void takeOver() {
        List<String> runs = backend.takeOver();
        for (String runId : runs) {
            try {
                dispatcher.enqueue(runId);
                LOG.info("run {} was left by the previous server; it is this one's now", runId);
            } catch (IllegalStateException e) {
                LOG.info("run {} is owned by another process; left to it", runId);
            }
        }
    }

    public URI baseUri() {
        return baseUri;
    }

    public ServeConfig config() {
        return config;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Graceful shutdown: no new runs (POST answers 503, the health check 503); local runs are cancelled and their
     * copies and processes cleaned up, each client's event stream ending with its run's CANCELLED; cluster runs are
     * left running for the next process. Retention stops, then the HTTP server, then the backend.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LOG.info("shutting down: {}", backend.cancelsRunsOnShutdown() ? "cancelling and cleaning up runs"
                    : "runs stay with the cluster for the next process");
            List<String> unfinished = dispatcher.shutdown(backend.cancelsRunsOnShutdown(), config.shutdownTimeout());
            if (!unfinished.isEmpty()) {
                LOG.warn("runs still cleaning up after {}: {}; the next start cleans up what they leave",
                        config.shutdownTimeout(), unfinished);
            }
            retention.close();
            auditRetention.close();
            streams.close();
            try {
                http.shutdown(5, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the grace period is over either way
            }
            // Idle keep-alive connections outlive a graceful shutdown: a client's next request on one must not
            // reach a server that has stopped.
            http.shutdownNow();
            backend.close();
            LOG.info("stopped");
        } finally {
            stopped.countDown();
        }
    }
}
