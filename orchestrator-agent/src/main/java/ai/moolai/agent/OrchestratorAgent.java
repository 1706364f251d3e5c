package ai.moolai.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLHandshakeException;

import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.ws.CloseCode;
import ai.moolai.protocol.ws.Decoded;
import ai.moolai.protocol.ws.ErrorCode;
import ai.moolai.protocol.ws.ErrorFrame;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.Handshake;
import ai.moolai.protocol.ws.HandshakeAck;
import ai.moolai.protocol.ws.IAmAlive;
import ai.moolai.protocol.ws.IndependenceAck;
import ai.moolai.protocol.ws.IndependenceUpdate;
import ai.moolai.protocol.ws.MonitoringReport;
import ai.moolai.protocol.ws.OutboundFrame;
import ai.moolai.protocol.ws.Provisioning;
import ai.moolai.protocol.ws.Recommendation;
import ai.moolai.protocol.ws.ReportAck;
import tools.jackson.databind.JsonNode;

/**
 * An orchestrator's side of the protocol. It connects (its token in the upgrade request's
 * {@code Authorization} header only), handshakes, heartbeats, and keeps every report on disk until
 * acknowledged: each unacknowledged report is sent again every few seconds,
 * at a pace within the edge's message budget, so a backlog after a reconnect, a report dropped by
 * the rate limit or an acknowledgement lost with a session all end acknowledged. It reconnects with full-jitter
 * backoff, never after 4401 or 4403, each attempt after a failure to the next of its edges. It goes independent when told (stop heartbeating, rewrite
 * {@code .env}, acknowledge, close with 1000), then polls the edge until independence is turned
 * off. Everything runs on one thread of its own.
 */
public final class OrchestratorAgent implements AutoCloseable {

    /** What the agent tells its embedder; every method has a default. */
    public interface Listener {
        default void connected(String sessionId) {
        }

        default void disconnected(int code, String reason) {
        }

        default void retrying(Duration delay, String why) {
        }

        default void acknowledged(UUID messageId) {
        }

        /** The controller refused this report for good ({@code invalid_message}); it was dropped, not resent. */
        default void refused(UUID messageId, String why) {
        }

        default void independenceChanged(boolean independent) {
        }

        /** The orchestrator is not registered: it waits in the controller's waiting room for an admin. */
        default void waitingForApproval(String sessionId) {
        }

        /** An admin approved its enrolment: its token is stored and the session is admitted. */
        default void enrolled() {
        }

        default void stopped(String why) {
        }
    }

    private enum Mode { CONNECTING, WAITING, CONNECTED, POLLING, STOPPED }

    /** The variables of {@code .env} the agent writes when it enrols. */
    static final String TOKEN = "ORCHESTRATOR_TOKEN";
    static final String ENROLMENT_KEY = "ORCHESTRATOR_ENROLMENT_KEY";

    private static final System.Logger log = System.getLogger(OrchestratorAgent.class.getName());
    private static final int RESENDS_PER_SECOND = 10;
    private static final long RESEND_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final AgentConfig config;
    private final Listener listener;
    private final ReportQueue queue;
    private final EnvFile env;
    private final Backoff backoff;
    private final HttpClient http;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread agent = new Thread(runnable, "orchestrator-agent");
        agent.setDaemon(true);
        return agent;
    });
    private final AtomicLong seq = new AtomicLong();
    private volatile Mode mode = Mode.CONNECTING;
    /** Its token: configured, or handed over when an admin approved its enrolment. */
    private volatile String token;
    /** Without a token: the key it enrols with, kept in {@code .env}; it becomes the token once approved. */
    private String enrolmentKey;
    /** Which of the configured edges it connects to and polls; only the agent's thread touches it. */
    private int edge;
    private volatile WebSocket socket;
    private volatile CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private volatile long connectedAt;
    private ScheduledFuture<?> heartbeats;
    private ScheduledFuture<?> resends;
    private ScheduledFuture<?> polling;
    /** When each unacknowledged report was last sent in this session (nanoTime). */
    private final Map<UUID, Long> sentAt = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private OrchestratorAgent(AgentConfig config, Listener listener) throws IOException {
        this.config = config;
        this.listener = listener;
        this.token = config.token();
        this.queue = new ReportQueue(config.queueDir(), config.queueCapacity());
        this.env = new EnvFile(config.envFile());
        this.backoff = new Backoff(config.backoffBase(), config.backoffCap());
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (config.tlsCaFile() != null) {
            client.sslContext(ControllerTrust.of(config.tlsCaFile()));
        }
        this.http = client.build();
    }

    /** An agent; nothing happens until {@link #start()}. */
    public static OrchestratorAgent create(AgentConfig config, Listener listener) throws IOException {
        return new OrchestratorAgent(config, listener);
    }

    /** Connects, or polls when the orchestrator starts independent. */
    public void start() {
        thread.execute(() -> {
            if (token == null) {
                enrolmentKey = enrolmentKey();
            }
            if (config.independent()) {
                startPolling();
            } else {
                connect();
            }
        });
    }

    /**
     * The key an agent without a token enrols with: the one kept in {@code .env}, or a new one, kept
     * there (atomically, readable by its owner only) before it is ever sent, so that a restart
     * enrols with the same key, which an admin may have approved meanwhile.
     */
    private String enrolmentKey() {
        try {
            String kept = env.read().get(ENROLMENT_KEY);
            if (kept != null && kept.length() >= Handshake.Enrolment.MIN_KEY_LENGTH) {
                return kept;
            }
            String key = Credentials.newToken();
            env.update(Map.of(ENROLMENT_KEY, key));
            return key;
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "cannot keep an enrolment key in {0} ({1}): enrolling with one held in "
                    + "memory only, so a restart before approval enrols again", env.path(), e.toString());
            return Credentials.newToken();
        }
    }

    /**
     * Queues a monitoring report durably and sends it when connected; returns its message id.
     *
     * @throws IllegalArgumentException when the data is what the controller cannot store (see the
     *                                  protocol's {@code Storable}): it would only be refused
     */
    public UUID report(JsonNode data) throws IOException {
        UUID messageId = UUID.randomUUID();
        enqueue(messageId, FrameCodec.encode(new MonitoringReport(messageId, Instant.now().toString(), data)));
        return messageId;
    }

    /** Queues a recommendation durably and sends it when connected; returns its message id. */
    public UUID recommend(Recommendation.Data recommendation) throws IOException {
        UUID messageId = UUID.randomUUID();
        enqueue(messageId, FrameCodec.encode(new Recommendation(messageId, Instant.now().toString(), recommendation)));
        return messageId;
    }

    /** The queued report an {@code invalid_message} error names: resending it could never succeed. */
    private Optional<UUID> refusedReport(ErrorFrame error) {
        if (!ErrorCode.INVALID_MESSAGE.wireName().equals(error.code()) || error.ref() == null) {
            return Optional.empty();
        }
        try {
            UUID messageId = UUID.fromString(error.ref());
            return queue.pending().stream().map(ReportQueue.Pending::messageId).filter(messageId::equals).findFirst();
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /** Reports waiting for their acknowledgement. */
    public int pendingReports() {
        return queue.size();
    }

    public boolean isConnected() {
        return mode == Mode.CONNECTED;
    }

    public boolean isStopped() {
        return mode == Mode.STOPPED;
    }

    /** Closes cleanly (1000), so the controller marks the orchestrator INACTIVE at once. Closing twice does nothing. */
    @Override
    public void close() {
        if (thread.isShutdown()) {
            return;
        }
        mode = Mode.STOPPED;
        WebSocket current = socket;
        thread.execute(this::stopTimers);
        if (current != null && !current.isOutputClosed()) {
            send(current, null);
            sending.thenRun(() -> current.sendClose(WebSocket.NORMAL_CLOSURE, "shutting down"));
            try {
                closed.get(5, TimeUnit.SECONDS);
            } catch (Exception notAnswered) {
                current.abort();
            }
        }
        thread.shutdown();
    }

    private void enqueue(UUID messageId, String frame) throws IOException {
        queue.add(messageId, frame);
        WebSocket current = socket;
        if (mode == Mode.CONNECTED && current != null) {
            sentAt.put(messageId, System.nanoTime());
            send(current, frame);
        }
    }

    /**
     * Every second while connected: the oldest unacknowledged reports not sent in the last
     * {@link #RESEND_AFTER_NANOS}, at most {@link #RESENDS_PER_SECOND} of them, half the edge's
     * budget of 20 messages a second, which leaves room for heartbeats and new reports.
     */
    private void resendPending() {
        try {
            resendOldest();
        } catch (RuntimeException e) {
            // Thrown out of a scheduled task it would end the resends for good, and the reports with them.
            log.log(System.Logger.Level.WARNING, "resending unacknowledged reports failed, trying again in 1 s: {0}",
                    e.toString());
        }
    }

    private void resendOldest() {
        WebSocket current = socket;
        if (mode != Mode.CONNECTED || current == null) {
            return;
        }
        long now = System.nanoTime();
        int budget = RESENDS_PER_SECOND;
        for (ReportQueue.Pending pending : queue.pending()) {
            if (budget == 0) {
                return;
            }
            Long last = sentAt.get(pending.messageId());
            if (last == null || now - last >= RESEND_AFTER_NANOS) {
                sentAt.put(pending.messageId(), now);
                send(current, pending.frame());
                budget--;
            }
        }
    }

    private void connect() {
        if (mode == Mode.STOPPED) {
            return;
        }
        mode = Mode.CONNECTING;
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        String current = token;
        if (current != null) {
            builder.header("Authorization", "Bearer " + current);
        }
        URI target = edgeUrl();
        builder.buildAsync(target, new Frames()).whenComplete((opened, failed) -> thread.execute(() -> {
            if (failed != null) {
                retry(causedBy(failed, SSLHandshakeException.class)
                        ? "the TLS handshake with " + target + " failed (" + rootCause(failed)
                                + "): is its certificate for this host, and signed by a CA the agent trusts (AGENT_TLS_CA_FILE)?"
                        : "cannot connect to " + target + ": " + rootCause(failed));
                return;
            }
            socket = opened;
            sending = CompletableFuture.completedFuture(null);
            // The token went in the upgrade request's Authorization header; the handshake does not repeat it.
            send(opened, FrameCodec.encode(new Handshake("orchestrator", new Handshake.Data(config.orchestratorId(),
                    null, new Handshake.Metadata("1.0.0", hostName(), null, AgentConfig.usesTls(target), null, null, null),
                    current == null ? new Handshake.Enrolment(enrolmentKey, config.enrolmentToken()) : null),
                    Instant.now().toString())));
        }));
    }

    private void onFrame(OutboundFrame frame) {
        if (frame instanceof HandshakeAck ack && ack.pendingApproval()) {
            mode = Mode.WAITING;
            log.log(System.Logger.Level.INFO, "{0} is not registered: waiting at {1} for an admin to approve its enrolment"
                    + " (key fingerprint {2}, which the dashboard shows); reports wait on disk until then", ack.orchId(),
                    edgeUrl(), Credentials.fingerprint(Credentials.hash(enrolmentKey)));
            listener.waitingForApproval(ack.sessionId());
            heartbeats = thread.scheduleAtFixedRate(this::heartbeat, 0, config.keepalive().toMillis(), TimeUnit.MILLISECONDS);
        } else if (frame instanceof HandshakeAck ack) {
            // Admitted: at once, or in place after waiting for approval.
            stopTimers();
            mode = Mode.CONNECTED;
            connectedAt = System.nanoTime();
            log.log(System.Logger.Level.INFO, "connected to {0} as {1} (session {2})", edgeUrl(),
                    ack.orchId(), ack.sessionId());
            listener.connected(ack.sessionId());
            heartbeats = thread.scheduleAtFixedRate(this::heartbeat, 0, config.keepalive().toMillis(), TimeUnit.MILLISECONDS);
            sentAt.clear();
            resends = thread.scheduleAtFixedRate(this::resendPending, 0, 1, TimeUnit.SECONDS);
        } else if (frame instanceof ReportAck ack) {
            try {
                queue.acknowledge(ack.messageId());
            } catch (IOException e) {
                log.log(System.Logger.Level.WARNING, "cannot forget acknowledged report {0}: {1}", ack.messageId(), e);
            }
            sentAt.remove(ack.messageId());
            log.log(System.Logger.Level.DEBUG, "report {0} acknowledged", ack.messageId());
            listener.acknowledged(ack.messageId());
        } else if (frame instanceof Provisioning provisioning && provisioning.data().credential() != null) {
            enrolled(provisioning.data().credential().token());
        } else if (frame instanceof IndependenceUpdate update) {
            independence(update);
        } else if (frame instanceof ErrorFrame error) {
            log.log(System.Logger.Level.WARNING, "the controller refused a frame ({0}): {1}", error.code(), error.message());
            refusedReport(error).ifPresent(messageId -> {
                try {
                    queue.acknowledge(messageId);
                } catch (IOException e) {
                    log.log(System.Logger.Level.WARNING, "cannot forget refused report {0}: {1}", messageId, e);
                }
                sentAt.remove(messageId);
                listener.refused(messageId, error.message());
            });
        }
    }

    /**
     * An admin approved the enrolment: the token handed over (the enrolment key) is kept in
     * {@code .env}, atomically, in place of the key, and every later connection and poll sends it.
     */
    private void enrolled(String credential) {
        token = credential;
        try {
            env.update(Map.of(TOKEN, credential, ENROLMENT_KEY, ""));
            log.log(System.Logger.Level.INFO, "enrolled: an admin approved {0}; its token is kept in {1}",
                    config.orchestratorId(), env.path());
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "enrolled, but cannot write the token to {0} ({1}): it is held in memory;"
                    + " after a restart the agent is admitted again by its enrolment key", env.path(), e.toString());
        }
        listener.enrolled();
    }

    /** Applies the admin's decision and acknowledges it, echoing its trace so that the ack ends the admin's trace. */
    private void independence(IndependenceUpdate frame) {
        IndependenceUpdate.Data update = frame.data();
        boolean written = rewriteEnv(update.isIndependent(), update.privacyMode());
        send(socket, FrameCodec.encode(new IndependenceAck(new IndependenceAck.Data(update.isIndependent(),
                update.version(), written), frame.trace())));
        listener.independenceChanged(update.isIndependent());
        if (update.isIndependent()) {
            log.log(System.Logger.Level.INFO, "now independent (version {0}): heartbeats stopped, polling {1} every {2} s",
                    update.version(), config.pollUri(edgeUrl()), config.pollInterval().toSeconds());
            stopTimers();
            mode = Mode.POLLING;
            WebSocket current = socket;
            sending.thenRun(() -> current.sendClose(CloseCode.INDEPENDENT_ACKNOWLEDGED.code(),
                    CloseCode.INDEPENDENT_ACKNOWLEDGED.reason()));
        }
    }

    private void sessionEnded(int code, String reason) {
        stopTimers();
        closed.complete(null);
        listener.disconnected(code, reason);
        if (mode == Mode.STOPPED) {
            return;
        }
        if (code == CloseCode.UNAUTHORIZED.code() || code == CloseCode.UNKNOWN_ORCHESTRATOR.code()) {
            mode = Mode.STOPPED;
            String why = code == CloseCode.UNAUTHORIZED.code()
                    ? "the controller refused the token (4401): check ORCHESTRATOR_TOKEN"
                    : CloseCode.ENROLMENT_REJECTED.reason().equals(reason)
                    ? "an admin rejected the enrolment of " + config.orchestratorId() + " (4403)"
                    : "the controller does not know " + config.orchestratorId() + " (4403): it is not registered or was deleted";
            log.log(System.Logger.Level.ERROR, "not reconnecting: {0}", why);
            listener.stopped(why);
            return;
        }
        if (mode == Mode.POLLING || code == CloseCode.INDEPENDENT.code()) {
            startPolling();
            return;
        }
        retry("disconnected (" + code + (reason == null || reason.isBlank() ? "" : " " + reason) + ")");
    }

    private void retry(String why) {
        if (mode == Mode.STOPPED) {
            return;
        }
        mode = Mode.CONNECTING;
        if (connectedAt != 0 && System.nanoTime() - connectedAt >= config.healthyAfter().toNanos()) {
            backoff.reset();
        }
        connectedAt = 0;
        nextEdge();
        Duration delay = backoff.next();
        log.log(System.Logger.Level.WARNING, "{0}; retrying in {1} s", why, String.format("%.1f", delay.toMillis() / 1000.0));
        listener.retrying(delay, why);
        thread.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The edge to connect to, or to poll. */
    private URI edgeUrl() {
        return config.controllerUrls().get(edge);
    }

    /** After a failed attempt or a lost session, the next attempt goes to the next edge of the list. */
    private void nextEdge() {
        edge = (edge + 1) % config.controllerUrls().size();
    }

    private void startPolling() {
        if (mode == Mode.STOPPED) {
            return;
        }
        mode = Mode.POLLING;
        rewriteEnv(true, config.privacyMode());
        polling = thread.scheduleWithFixedDelay(this::poll, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(config.pollUri(edgeUrl())).timeout(Duration.ofSeconds(10));
            String current = token;
            if (current != null) {
                request.header("Authorization", "Bearer " + current);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.log(System.Logger.Level.WARNING, "independence poll answered {0}", response.statusCode());
                nextEdge();
                return;
            }
            JsonNode status = Json.frames().readTree(response.body());
            if (!status.path("is_independent").asBoolean(true)) {
                log.log(System.Logger.Level.INFO, "independence turned off (version {0}): reconnecting",
                        status.path("version").asLong());
                rewriteEnv(false, status.path("privacy_mode").asBoolean(false));
                listener.independenceChanged(false);
                polling.cancel(false);
                backoff.reset();
                connect();
            }
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "independence poll failed: {0}", rootCause(e));
            nextEdge();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void heartbeat() {
        send(socket, FrameCodec.encode(new IAmAlive(Instant.now().toString(), seq.incrementAndGet())));
    }

    private boolean rewriteEnv(boolean independent, boolean privacyMode) {
        try {
            env.update(Map.of("ORCHESTRATOR_INDEPENDENT", Boolean.toString(independent),
                    "ORCHESTRATOR_PRIVACY_MODE", Boolean.toString(privacyMode)));
            return true;
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "cannot rewrite {0}: {1}", env.path(), e);
            return false;
        }
    }

    /** Sends after whatever is being sent (the JDK client allows one send at a time). */
    private synchronized void send(WebSocket target, String frame) {
        if (target == null) {
            return;
        }
        sending = sending.exceptionally(ignored -> null).thenCompose(done -> frame == null || target.isOutputClosed()
                ? CompletableFuture.completedFuture(null) : target.sendText(frame, true));
    }

    private void stopTimers() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (resends != null) {
            resends.cancel(false);
        }
        if (polling != null && mode != Mode.POLLING) {
            polling.cancel(false);
        }
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> kind) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Frames from the edge, assembled and handed to the agent's thread. */
    private final class Frames implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                Decoded<OutboundFrame> decoded = FrameCodec.decodeOutbound(text.toString());
                text.setLength(0);
                if (decoded instanceof Decoded.Ok<OutboundFrame> ok) {
                    thread.execute(() -> onFrame(ok.frame()));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            thread.execute(() -> sessionEnded(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            thread.execute(() -> sessionEnded(1006, rootCause(error)));
        }
    }
}
