package io.snapci.scheduler.mesos.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Client side of the Mesos v1 scheduler HTTP API (apache/mesos {@code docs/scheduler-http-api.md}), without libmesos.
 *
 * <p><b>Subscription.</b> {@link #start()} runs one background thread that POSTs SUBSCRIBE and keeps that single
 * connection open, reading its chunked body as a RecordIO stream of {@code Event}s ({@code docs/recordio.md}) and
 * delivering them in order to the {@link SchedulerEventHandler}. It remembers the {@code Mesos-Stream-Id} response
 * header and the framework id from SUBSCRIBED. A 307 (non-leading master, "Master detection") is followed, resolving
 * the protocol-relative {@code Location} with our scheme, and the leader is remembered for calls. Any other non-200
 * answer, a dropped connection, the end of the stream, no SUBSCRIBED within the subscribe timeout, or no event at all
 * for {@code heartbeat_interval_seconds × heartbeatMissFactor} ("Network partitions") means: report
 * {@code onDisconnected}, wait (exponential backoff with full jitter, reset by each SUBSCRIBED), and subscribe again on
 * a new connection: first to the leader we had, then alternating with the configured master while attempts fail (the
 * old leader may be gone for good; the configured one redirects us to the new leader). The {@code FrameworkInfo}
 * supplier is asked before each SUBSCRIBE so a persisted framework id is reused ("Disconnections"); if it has none
 * but this client was already given one, that id is used, so a reconnect can never register a second framework.
 * An ERROR event ends the client for good: it stops, then reports {@code onError}.
 *
 * <p><b>Calls.</b> {@link #send(Call)} POSTs every other call on its own request (never the subscription
 * connection) with the current stream id. 202 (or 200) is success; 307 is retried once at the new leader; 401
 * invalidates the {@link Authenticator} and is retried once; anything else is a {@link MesosCallException}.
 *
 * <p><b>Threads.</b> Handler callbacks run on the subscription thread. {@code send} is thread-safe and may be called
 * from callbacks. {@link #close()} stops the subscription thread and drops the connection promptly; it only waits for
 * a callback that is running.
 */
public final class MesosSchedulerClient implements AutoCloseable {

    /** How the client waits between subscription attempts: a seam for tests. Must honour interruption. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final System.Logger LOG = System.getLogger(MesosSchedulerClient.class.getName());

    /** Mesos' own default, used if SUBSCRIBED does not say. */
    static final double DEFAULT_HEARTBEAT_SECONDS = 15;
    private static final int MAX_SUBSCRIBE_REDIRECTS = 3;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private record Outcome(Kind kind, String detail) {
        enum Kind { REDIRECT, UNAUTHORIZED, LOST, STOPPED }

        static final Outcome STOPPED = new Outcome(Kind.STOPPED, "");
    }

    /** What calls need from the current subscription. */
    private record Session(Optional<String> streamId) {
    }

    private final MesosClientConfig config;
    private final Authenticator authenticator;
    // Set once, before the subscription thread starts (the constructor or start(...)).
    private volatile Supplier<FrameworkInfo> frameworkInfo;
    private volatile EventDispatcher events;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final Backoff backoff;

    private final Object lifecycle = new Object();
    private Thread loop; // guarded by lifecycle
    private final Object pauseLock = new Object();
    private boolean pausing; // guarded by pauseLock

    // Subscription thread only.
    private boolean reachedSubscribed;
    private boolean preferKnownLeader;

    private volatile boolean stopped;
    private volatile String fatalError;
    private volatile SubscriptionStream current;
    private volatile Session session;
    private volatile URI leader;
    private volatile FrameworkID frameworkId;

    public MesosSchedulerClient(MesosClientConfig config, Supplier<FrameworkInfo> frameworkInfo,
            Authenticator authenticator, SchedulerEventHandler handler) {
        this(config, frameworkInfo, authenticator, handler, defaultHttpClient(config),
                d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    public MesosSchedulerClient(MesosClientConfig config, Supplier<FrameworkInfo> frameworkInfo,
            Authenticator authenticator, SchedulerEventHandler handler, HttpClient http, Sleeper sleeper) {
        this(config, authenticator, http, sleeper);
        this.frameworkInfo = Objects.requireNonNull(frameworkInfo, "frameworkInfo");
        this.events = new EventDispatcher(Objects.requireNonNull(handler, "handler"), null);
    }

    /**
     * A client whose framework and event handler are given at {@link #start(Supplier, SchedulerEventHandler,
     * Consumer)}: the code that handles events sends calls through this client, so it is built after it.
     */
    public MesosSchedulerClient(MesosClientConfig config, Authenticator authenticator) {
        this(config, authenticator, defaultHttpClient(config),
                d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    private MesosSchedulerClient(MesosClientConfig config, Authenticator authenticator, HttpClient http,
                                 Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.http = Objects.requireNonNull(http, "http");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax(), config.backoffJitter(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * HTTP/1.1 (what libprocess speaks), no automatic redirects: 307s are ours to follow, with the same body; https
     * trusts the config's CAs (in strict mode the cluster's).
     */
    public static HttpClient defaultHttpClient(MesosClientConfig config) {
        Duration connect = config.subscribeTimeout().compareTo(config.requestTimeout()) < 0
                ? config.subscribeTimeout() : config.requestTimeout();
        return config.trust().httpClientBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connect)
                .build();
    }

    /**
     * Starts subscribing in the background, as {@code frameworkInfo} says, with events going to {@code handler}.
     * When handling an event throws, {@code onHandlerFailure} hears why and the client stops at once: no further
     * event is handled and nothing more is acknowledged (crash-only: the process is about to end). Once only.
     */
    public void start(Supplier<FrameworkInfo> frameworkInfo, SchedulerEventHandler handler,
                      Consumer<String> onHandlerFailure) {
        synchronized (lifecycle) {
            if (this.events != null) {
                throw new IllegalStateException("client already has its framework and handler");
            }
            this.frameworkInfo = Objects.requireNonNull(frameworkInfo, "frameworkInfo");
            this.events = new EventDispatcher(Objects.requireNonNull(handler, "handler"),
                    Objects.requireNonNull(onHandlerFailure, "onHandlerFailure"));
        }
        start();
    }

    /** Starts subscribing in the background. Once only. */
    public void start() {
        synchronized (lifecycle) {
            if (events == null) {
                throw new IllegalStateException("no event handler: use start(frameworkInfo, handler, onFailure)");
            }
            if (stopped) {
                throw new IllegalStateException("client is closed");
            }
            if (loop != null) {
                throw new IllegalStateException("client already started");
            }
            loop = new Thread(this::run, "mesos-subscription");
            loop.setDaemon(true);
            loop.start();
        }
    }

    /**
     * Sends a non-SUBSCRIBE call on its own request. Returns when the master accepted it (202; 200 for calls answered
     * synchronously); the effect, if any, arrives later as events.
     *
     * @throws MesosCallException not subscribed (retryable), rejected (status and body), or not delivered
     */
    public void send(Call call) throws MesosCallException {
        Objects.requireNonNull(call, "call");
        String type = call.getType().name();
        checkUsable(type);
        Session s = session;
        if (s == null) {
            throw new MesosCallException("not subscribed to a Mesos master; " + type + " not sent",
                    MesosCallException.NO_STATUS, "", true, null);
        }
        URI target = leader;
        boolean redirected = false;
        boolean reauthenticated = false;
        while (true) {
            HttpResponse<String> response = post(target, call, s.streamId(), type);
            int status = response.statusCode();
            if (status == 202 || status == 200) {
                return;
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (status == 307 && !redirected && location.isPresent()) {
                target = redirectTarget(target, location.get(), type);
                leader = target;
                redirected = true;
            } else if (status == 401 && !reauthenticated) {
                authenticator.invalidate();
                reauthenticated = true;
            } else {
                throw MesosCallException.fromStatus(type, status, response.body());
            }
        }
    }

    /** Builders for calls, stamped with this client's framework id. */
    public Calls calls() {
        return new Calls(this::frameworkId);
    }

    /** The framework id the master gave us in the last SUBSCRIBED; empty before the first one. */
    public Optional<FrameworkID> frameworkId() {
        return Optional.ofNullable(frameworkId);
    }

    /** The {@code Mesos-Stream-Id} of the current subscription; empty while not subscribed. */
    public Optional<String> streamId() {
        Session s = session;
        return s == null ? Optional.empty() : s.streamId();
    }

    public boolean isSubscribed() {
        return session != null;
    }

    /** Where calls go: the master that accepted SUBSCRIBE, or where a call was last redirected. */
    public Optional<URI> leader() {
        return Optional.ofNullable(leader);
    }

    /** Stops the subscription thread and drops the connection. Idempotent; safe from a handler callback. */
    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            stopped = true;
            t = loop;
        }
        session = null;
        SubscriptionStream stream = current;
        if (stream != null) {
            stream.abort();
        }
        synchronized (pauseLock) {
            if (pausing && t != null) {
                t.interrupt();
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- subscription thread ----

    private void run() {
        try {
            while (!stopped) {
                reachedSubscribed = false;
                String lost = subscribeOnce();
                session = null;
                if (lost == null) {
                    break;
                }
                // After a lost subscription, first try the leader we had (a network blip: no redirect hop needed);
                // while attempts fail, alternate with the configured master, in case the old leader is gone for good.
                preferKnownLeader = reachedSubscribed || !preferKnownLeader;
                LOG.log(System.Logger.Level.INFO, "Mesos subscription lost: {0}", lost);
                events.disconnected(lost);
                if (stopped) {
                    break;
                }
                pause(backoff.next());
            }
            if (fatalError != null) {
                events.error(fatalError);
            }
        } catch (RuntimeException | Error e) {
            // A bug in here must not leave the caller waiting for events that will never come.
            LOG.log(System.Logger.Level.ERROR, "Mesos subscription thread failed", e);
            fatalError = "subscription thread failed: " + e;
            session = null;
            events.error(fatalError);
        }
    }

    /** One subscription, following redirects; returns why it was lost, or null when the client stopped. */
    private String subscribeOnce() {
        URI known = leader;
        URI target = preferKnownLeader && known != null ? known : config.schedulerEndpoint();
        boolean reauthenticated = false;
        int redirects = 0;
        while (true) {
            Optional<String> authorization;
            try {
                authorization = authenticator.authorizationHeader();
            } catch (IOException | RuntimeException e) {
                return "cannot authenticate: " + e.getMessage();
            }
            Call subscribe;
            try {
                subscribe = subscribeCall(frameworkInfo.get());
            } catch (RuntimeException e) {
                // E.g. the persisted framework id cannot be read: subscribing without it would register a new
                // framework and orphan our tasks, so retry later instead.
                return "cannot build the FrameworkInfo: " + e;
            }
            HttpRequest request = MesosRequests.post(target, subscribe, authorization, Optional.empty(),
                    Optional.empty());
            SubscriptionStream stream = new SubscriptionStream(http, request, config.maxRecordBytes());
            current = stream;
            if (stopped) { // close() may have looked at `current` before we set it
                stream.abort();
                return null;
            }
            stream.start();
            Outcome outcome;
            try {
                outcome = consume(stream, target);
            } finally {
                stream.abort();
                current = null;
            }
            switch (outcome.kind()) {
                case STOPPED:
                    return null;
                case LOST:
                    return outcome.detail();
                case UNAUTHORIZED:
                    if (reauthenticated) {
                        return outcome.detail();
                    }
                    authenticator.invalidate();
                    reauthenticated = true;
                    break;
                case REDIRECT:
                    if (++redirects > MAX_SUBSCRIBE_REDIRECTS) {
                        return "more than " + MAX_SUBSCRIBE_REDIRECTS + " redirects while subscribing, last to "
                                + outcome.detail();
                    }
                    try {
                        target = Endpoints.resolveRedirect(target, outcome.detail());
                    } catch (IllegalArgumentException e) {
                        return "SUBSCRIBE redirected to an unusable Location '" + outcome.detail() + "'";
                    }
                    LOG.log(System.Logger.Level.INFO, "Mesos master redirected SUBSCRIBE to {0}", target);
                    break;
                default:
                    throw new IllegalStateException(outcome.toString());
            }
        }
    }

    /** Reads one stream until it ends, is judged dead, or the client stops. */
    private Outcome consume(SubscriptionStream stream, URI target) {
        long subscribeDeadline = System.nanoTime() + config.subscribeTimeout().toNanos();
        Optional<String> streamId = Optional.empty();
        long heartbeatTimeout = 0; // set once SUBSCRIBED
        while (true) {
            long wait = heartbeatTimeout > 0 ? heartbeatTimeout : subscribeDeadline - System.nanoTime();
            SubscriptionStream.Signal signal;
            try {
                signal = wait > 0 ? stream.poll(wait) : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stopped ? Outcome.STOPPED : lost("subscription thread interrupted");
            }
            if (stopped) {
                return Outcome.STOPPED;
            }
            if (signal == null) {
                return lost(heartbeatTimeout > 0
                        ? "no event from the master for " + Duration.ofNanos(heartbeatTimeout) + " ("
                                + config.heartbeatMissFactor() + " heartbeat intervals)"
                        : "no SUBSCRIBED from the master within " + config.subscribeTimeout());
            }
            if (signal instanceof SubscriptionStream.Answered answer) {
                return answered(answer);
            } else if (signal instanceof SubscriptionStream.Opened opened) {
                streamId = opened.streamId();
                if (streamId.isEmpty()) {
                    // src/master/http.cpp: the master always sets it on a SUBSCRIBE's 200, and every later call
                    // must carry it; without it no call of ours would be accepted. A proxy that strips headers?
                    return lost("the master answered SUBSCRIBE without a " + MesosRequests.STREAM_ID_HEADER
                            + " header (a proxy between snapci and the master that drops it?)");
                }
            } else if (signal instanceof SubscriptionStream.Received received) {
                Event event = received.event();
                if (event.getType() == Event.Type.ERROR) {
                    fatalError = event.getError().getMessage();
                    stopped = true;
                    return Outcome.STOPPED;
                }
                if (event.getType() == Event.Type.SUBSCRIBED) {
                    heartbeatTimeout = subscribed(event.getSubscribed(), target, streamId);
                }
                if (!events.dispatch(event)) {
                    stopped = true;  // the handler failed and the process is ending: handle and acknowledge no more
                    return Outcome.STOPPED;
                }
            } else if (signal instanceof SubscriptionStream.Closed closed) {
                return lost(closed.reason());
            }
        }
    }

    private static Outcome answered(SubscriptionStream.Answered answer) {
        int status = answer.status();
        if (status == 307) {
            return answer.location()
                    .map(location -> new Outcome(Outcome.Kind.REDIRECT, location))
                    .orElse(lost("SUBSCRIBE answered 307 without a Location"));
        }
        String body = answer.body().strip();
        String reason = "SUBSCRIBE answered HTTP " + status + (body.isEmpty() ? "" : ": " + body);
        return new Outcome(status == 401 ? Outcome.Kind.UNAUTHORIZED : Outcome.Kind.LOST, reason);
    }

    /** Records the new session before the handler hears of it, so it can send calls from onSubscribed. */
    private long subscribed(Event.Subscribed subscribed, URI target, Optional<String> streamId) {
        frameworkId = subscribed.getFrameworkId();
        leader = target;
        session = new Session(streamId);
        reachedSubscribed = true;
        backoff.reset();
        double interval = subscribed.hasHeartbeatIntervalSeconds() && subscribed.getHeartbeatIntervalSeconds() > 0
                ? subscribed.getHeartbeatIntervalSeconds() : DEFAULT_HEARTBEAT_SECONDS;
        LOG.log(System.Logger.Level.INFO, "Subscribed to Mesos master {0} as framework {1}", target,
                frameworkId.getValue());
        return (long) (interval * 1e9 * config.heartbeatMissFactor());
    }

    private Call subscribeCall(FrameworkInfo info) {
        FrameworkID known = frameworkId;
        if (!info.hasId() && known != null) {
            info = info.toBuilder().setId(known).build();
        }
        Call.Builder call = Call.newBuilder()
                .setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
        if (info.hasId()) {
            call.setFrameworkId(info.getId()); // a resubscribing framework sets both ("SUBSCRIBE")
        }
        return call.build();
    }

    private void pause(Duration delay) {
        synchronized (pauseLock) {
            if (stopped) {
                return;
            }
            pausing = true;
        }
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            // close() woke us up.
        } finally {
            synchronized (pauseLock) {
                pausing = false;
                Thread.interrupted(); // an interrupt from close() must not leak into the next poll
            }
        }
    }

    private static Outcome lost(String reason) {
        return new Outcome(Outcome.Kind.LOST, reason);
    }

    // ---- calls ----

    private void checkUsable(String type) throws MesosCallException {
        String error = fatalError;
        if (error != null) {
            throw new MesosCallException("client stopped after the master's ERROR (" + error + "); " + type
                    + " not sent", MesosCallException.NO_STATUS, "", false, null);
        }
        if (stopped) {
            throw new MesosCallException("client is closed; " + type + " not sent", MesosCallException.NO_STATUS, "",
                    false, null);
        }
    }

    private HttpResponse<String> post(URI target, Call call, Optional<String> streamId, String type)
            throws MesosCallException {
        Optional<String> authorization;
        try {
            authorization = authenticator.authorizationHeader();
        } catch (IOException | RuntimeException e) {
            throw new MesosCallException("cannot authenticate " + type + ": " + e.getMessage(),
                    MesosCallException.NO_STATUS, "", true, e);
        }
        HttpRequest request = MesosRequests.post(target, call, authorization, streamId,
                Optional.of(config.requestTimeout()));
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MesosCallException(type + " to " + target + " failed: " + e, MesosCallException.NO_STATUS, "",
                    true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MesosCallException(type + " interrupted", MesosCallException.NO_STATUS, "", true, e);
        }
    }

    private static URI redirectTarget(URI current, String location, String type) throws MesosCallException {
        try {
            return Endpoints.resolveRedirect(current, location);
        } catch (IllegalArgumentException e) {
            throw new MesosCallException(type + " redirected to an unusable Location '" + location + "'", 307, "",
                    true, e);
        }
    }
}
