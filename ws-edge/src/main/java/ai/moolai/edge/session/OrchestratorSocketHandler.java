package ai.moolai.edge.session;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import ai.moolai.edge.config.EdgeProperties;
import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.edge.publish.EdgePublisher;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.Timestamps;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.CloseCode;
import ai.moolai.protocol.ws.ConfigSnapshot;
import ai.moolai.protocol.ws.Decoded;
import ai.moolai.protocol.ws.ErrorCode;
import ai.moolai.protocol.ws.ErrorFrame;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.Handshake;
import ai.moolai.protocol.ws.HandshakeAck;
import ai.moolai.protocol.ws.IAmAlive;
import ai.moolai.protocol.ws.InboundFrame;
import ai.moolai.protocol.ws.IndependenceAck;
import ai.moolai.protocol.ws.IndependenceUpdate;
import ai.moolai.protocol.ws.Keepalive;
import ai.moolai.protocol.ws.MonitoringReport;
import ai.moolai.protocol.ws.Provisioning;
import ai.moolai.protocol.ws.ProvisioningRequest;
import ai.moolai.protocol.ws.Recommendation;
import ai.moolai.protocol.ws.ReportAck;
import ai.moolai.service.logging.LogFields;
import ai.moolai.service.tracing.Traces;
import io.micrometer.tracing.Span;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The orchestrator protocol over one WebSocket: handshake first, then heartbeats, reports and
 * acknowledgements, each published to Kafka keyed by the session's own orchestrator. Text arrives
 * as partial messages so per-session buffers stay small, and is capped far lower before the
 * handshake is accepted than after; binary is only counted, never kept. A malformed frame is
 * answered with an {@code error} frame and the session lives on.
 */
@Component
class OrchestratorSocketHandler extends AbstractWebSocketHandler {

    static final String SESSION = "edge.session";
    static final String BEARER_TOKEN = "edge.bearerToken";
    static final String PLACE = "edge.unauthenticatedPlace";

    private static final Logger log = LoggerFactory.getLogger(OrchestratorSocketHandler.class);
    private static final int SEND_BUFFER_LIMIT = 256 * 1024;

    private final EdgeProperties edge;
    private final DesiredStateView view;
    private final SessionRegistry registry;
    private final EdgePublisher publisher;
    private final EdgeMetrics metrics;
    private final EdgeExecutors executors;
    private final WaitingRoom waitingRoom;
    private final Traces traces;

    OrchestratorSocketHandler(EdgeProperties edge, DesiredStateView view, SessionRegistry registry,
                              EdgePublisher publisher, EdgeMetrics metrics, EdgeExecutors executors,
                              WaitingRoom waitingRoom, Traces traces) {
        this.traces = traces;
        this.edge = edge;
        this.view = view;
        this.registry = registry;
        this.publisher = publisher;
        this.metrics = metrics;
        this.executors = executors;
        this.waitingRoom = waitingRoom;
    }

    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        var serialized = new ConcurrentWebSocketSessionDecorator(socket, (int) edge.sendTimeLimit().toMillis(),
                SEND_BUFFER_LIMIT);
        EdgeSession session = new EdgeSession(serialized, (String) socket.getAttributes().remove(BEARER_TOKEN),
                (UnauthenticatedSockets.Place) socket.getAttributes().remove(PLACE),
                new RateLimit(edge.maxMessagesPerSecond(), edge.maxBytesPerMinute(), edge.byteBurst(),
                        edge.rateLimitStrikes(), System.nanoTime()), metrics,
                Instant.now());
        socket.getAttributes().put(SESSION, session);
        try (SessionLog ignored = SessionLog.of(session)) {
            registry.connected(session);
            if (registry.isShuttingDown()) {
                session.close(CloseCode.EDGE_SHUTDOWN);
                return;
            }
            session.awaitHandshake();
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        EdgeSession session = sessionOf(socket);
        try (SessionLog ignored = SessionLog.of(session)) {
            handleText(session, message);
        }
    }

    private void handleText(EdgeSession session, TextMessage message) {
        boolean authenticated = session.isOpen();
        String text;
        try {
            text = session.assemble(message.getPayload(), message.isLast(),
                    authenticated ? edge.maxFrameBytes() : edge.maxUnauthenticatedFrameBytes());
        } catch (EdgeSession.MessageTooBig tooBig) {
            metrics.messageTooBig("text", authenticated);
            session.close(CloseCode.MESSAGE_TOO_BIG);
            return;
        }
        // Bytes are an orchestrator's quota: counted once the session speaks for one.
        if (text == null || !withinRate(session, authenticated ? text.length() : 0)) {
            return;
        }
        Decoded<InboundFrame> decoded = FrameCodec.decodeInbound(text);
        if (decoded instanceof Decoded.Rejected<InboundFrame> rejected) {
            refuse(session, rejected);
            return;
        }
        InboundFrame frame = ((Decoded.Ok<InboundFrame>) decoded).frame();
        metrics.frameIn(FrameCodec.typeOf(frame));
        if (session.state() == EdgeSession.State.AWAITING_HANDSHAKE) {
            if (frame instanceof Handshake handshake) {
                handshake(session, handshake);
            } else {
                session.send(new ErrorFrame(ErrorCode.UNEXPECTED_MESSAGE, "send handshake first", null));
            }
        } else if (session.isOpen()) {
            receive(session, frame);
        } else if (session.isWaiting()) {
            receiveWhileWaiting(session, frame);
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
        EdgeSession session = sessionOf(socket);
        try (SessionLog ignored = SessionLog.of(session)) {
            handleBinary(session, message);
        }
    }

    private void handleBinary(EdgeSession session, BinaryMessage message) {
        boolean whole;
        try {
            whole = session.countBinary(message.getPayloadLength(), message.isLast(), edge.maxBinaryBytes());
        } catch (EdgeSession.MessageTooBig tooBig) {
            metrics.messageTooBig("binary", session.isOpen());
            session.close(CloseCode.MESSAGE_TOO_BIG);
            return;
        }
        if (whole && withinRate(session, 0)) {
            session.send(new ErrorFrame(ErrorCode.BINARY_NOT_SUPPORTED, "frames are UTF-8 JSON text", null));
        }
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable error) {
        log.debug("transport error on {}: {}", socket.getId(), error.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        EdgeSession session = (EdgeSession) socket.getAttributes().get(SESSION);
        if (session == null) {
            return;
        }
        try (SessionLog ignored = SessionLog.of(session)) {
            closed(session, status);
        }
    }

    private void closed(EdgeSession session, CloseStatus status) {
        Handshake waitedWith = session.waitedWith();
        session.closed();
        registry.disconnected(session);
        if (waitedWith != null) {
            waitingRoom.leave(session, waitedWith, true);
            log.info("{} left the waiting room: {} {}", waitedWith.orchestratorId(), status.getCode(), status.getReason());
        }
        String orchestratorId = session.orchestratorId();
        if (orchestratorId != null) {
            SessionEvent.ClosedBy closedBy = session.closedByEdge() ? SessionEvent.ClosedBy.EDGE
                    : status.getCode() == CloseStatus.NO_CLOSE_FRAME.getCode() ? SessionEvent.ClosedBy.NETWORK
                    : SessionEvent.ClosedBy.ORCHESTRATOR;
            log.info("{} disconnected: {} {} by {}", orchestratorId, status.getCode(), status.getReason(), closedBy);
            publisher.publish(Topics.SESSION_EVENTS, orchestratorId, SessionEvent.disconnected(orchestratorId,
                    session.sessionId(), edge.id(), Instant.now(), status.getCode(), closedBy, status.getReason()));
        }
    }

    /**
     * Tells the session its orchestrator's independence, in the trace of the change (a new one when
     * it carried none), for the orchestrator to echo; an independent one gets a grace period to close.
     */
    void pushIndependence(EdgeSession session, DesiredState orchestrator, String traceparent) {
        Span span = traces.start("independence pushed", traceparent).tag(LogFields.ORCHESTRATOR_ID, orchestrator.orchestratorId())
                .tag("version", Long.toString(orchestrator.version()));
        try (SessionLog ignored = SessionLog.of(session); var scope = traces.inScope(span)) {
            String trace = traces.traceparent(span);
            session.sentIndependenceTrace(trace);
            session.send(new IndependenceUpdate(new IndependenceUpdate.Data(orchestrator.independent(),
                    orchestrator.privacyMode(), orchestrator.version()), trace));
            log.info("{} told it is {} (version {})", orchestrator.orchestratorId(),
                    orchestrator.independent() ? "independent" : "not independent", orchestrator.version());
        } finally {
            span.end();
        }
        if (orchestrator.independent()) {
            session.schedule(executors.timers().schedule(() -> {
                if (session.isOpen()) {
                    session.close(CloseCode.INDEPENDENT);
                }
            }, edge.independentCloseGrace().toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    void pushProvisioning(EdgeSession session, DesiredState orchestrator) {
        pushProvisioning(session, orchestrator, null);
    }

    private void pushProvisioning(EdgeSession session, DesiredState orchestrator, String credential) {
        JsonNode features = orchestrator.features() != null ? orchestrator.features() : JsonNodeFactory.instance.objectNode();
        session.send(new Provisioning(new Provisioning.Data(orchestrator.orchestratorId(), orchestrator.name(),
                orchestrator.location(), features, JsonNodeFactory.instance.objectNode(),
                credential == null ? null : new Provisioning.Credential(credential))));
    }

    /**
     * The desired state of a waiting session's orchestrator changed, or may have while it entered the
     * waiting room: decided again, it is admitted (an admin approved it), refused (registered some
     * other way), or waits on.
     */
    void reconsider(EdgeSession session) {
        Handshake handshake = session.waitedWith();
        if (!session.isWaiting() || handshake == null) {
            return;
        }
        try (SessionLog ignored = SessionLog.of(session)) {
            SessionLog.claimed(handshake.orchestratorId());
            Admission admission = Admission.decide(handshake, session.bearerToken(), view);
            if (admission instanceof Admission.Admitted admitted) {
                waitingRoom.leave(session, handshake, false);
                log.info("{} was approved while waiting (session {})", handshake.orchestratorId(), session.sessionId());
                admit(session, handshake, admitted);
            } else if (admission instanceof Admission.Refused refused) {
                turnAway(session, refused);
            }
        }
    }

    private void handshake(EdgeSession session, Handshake handshake) {
        SessionLog.claimed(handshake.orchestratorId());
        Admission admission = Admission.decide(handshake, session.bearerToken(), view);
        if (admission instanceof Admission.Admitted admitted) {
            admit(session, handshake, admitted);
        } else if (admission instanceof Admission.Refused refused) {
            turnAway(session, refused);
        } else {
            wait(session, handshake);
        }
    }

    private void wait(EdgeSession session, Handshake handshake) {
        Optional<CloseCode> refused = waitingRoom.enter(session, handshake);
        if (refused.isPresent()) {
            turnAway(session, new Admission.Refused(refused.get(), "not taken into the waiting room"));
            return;
        }
        log.info("{} is waiting for approval (session {}, from {})", handshake.orchestratorId(), session.sessionId(),
                session.remoteAddress());
        session.send(new HandshakeAck(handshake.orchestratorId(), Instant.now().toString(), session.sessionId(),
                (int) edge.heartbeatTtl().toSeconds(), HandshakeAck.PENDING_APPROVAL));
        // An approval that landed between the decision and the entry is seen by deciding again.
        reconsider(session);
    }

    private void admit(EdgeSession session, Handshake handshake, Admission.Admitted admitted) {
        DesiredState orchestrator = admitted.orchestrator();
        String id = orchestrator.orchestratorId();
        if (!session.open(id, admitted.credentialHash())) {
            return;
        }
        SessionLog.admitted(id);
        registry.bind(session);
        // A change of desired state closes only sessions already bound; one that landed between the
        // decision and the bind is seen by deciding again.
        if (Admission.decide(handshake, session.bearerToken(), view)
                instanceof Admission.Refused refused) {
            turnAway(session, refused);
            return;
        }
        Instant now = Instant.now();
        Handshake.Metadata metadata = handshake.data().metadata();
        publisher.publish(Topics.SESSION_EVENTS, id, SessionEvent.connected(id, session.sessionId(), edge.id(), now,
                metadata == null ? null : new SessionEvent.Client(metadata.version(), metadata.hostname(), metadata.ip())));
        log.info("{} connected (session {})", id, session.sessionId());
        session.send(new HandshakeAck(id, now.toString(), session.sessionId(), (int) edge.heartbeatTtl().toSeconds()));
        pushProvisioning(session, orchestrator, admitted.credential());
        if (orchestrator.independent()) {
            pushIndependence(session, orchestrator, null);
        }
    }

    /** A waiting session's heartbeats keep it visible to the admins; nothing else it sends is taken. */
    private void receiveWhileWaiting(EdgeSession session, InboundFrame frame) {
        if (frame instanceof IAmAlive || frame instanceof Keepalive) {
            waitingRoom.heard(session);
        } else if (frame instanceof Handshake) {
            session.send(new ErrorFrame(ErrorCode.UNEXPECTED_MESSAGE, "the session already completed its handshake", null));
        } else {
            session.send(new ErrorFrame(ErrorCode.PENDING_APPROVAL,
                    "waiting for an admin's approval; only heartbeats are taken until then", messageIdOf(frame)));
        }
    }

    private static String messageIdOf(InboundFrame frame) {
        UUID messageId = frame instanceof MonitoringReport report ? report.messageId()
                : frame instanceof Recommendation recommendation ? recommendation.messageId()
                : frame instanceof ConfigSnapshot snapshot ? snapshot.messageId() : null;
        return messageId == null ? null : messageId.toString();
    }

    private void turnAway(EdgeSession session, Admission.Refused refused) {
        metrics.handshakeRejected(refused.close().reason());
        log.info("handshake refused ({}): {}", refused.close().reason(), printable(refused.detail()));
        session.close(refused.close());
    }

    private void receive(EdgeSession session, InboundFrame frame) {
        String id = session.orchestratorId();
        if (frame instanceof Keepalive keepalive) {
            frame = keepalive.asIAmAlive();
        }
        if (frame instanceof IAmAlive alive) {
            publisher.publish(Topics.HEARTBEATS, id, new Heartbeat(id, session.sessionId(), edge.id(), alive.seq(),
                            Timestamps.parse(alive.timestamp()).orElse(null), Instant.now()))
                    .exceptionally(notPublished -> {
                        metrics.heartbeatDropped();
                        return null;
                    });
        } else if (frame instanceof MonitoringReport report) {
            publishReport(session, report.messageId(), Report.Kind.MONITORING_REPORT, report.timestamp(), report.data());
        } else if (frame instanceof Recommendation recommendation) {
            publishReport(session, recommendation.messageId(), Report.Kind.RECOMMENDATION, recommendation.timestamp(),
                    Json.frames().valueToTree(recommendation.data()));
        } else if (frame instanceof ConfigSnapshot snapshot) {
            publishReport(session, snapshot.messageId() != null ? snapshot.messageId() : UUID.randomUUID(),
                    Report.Kind.CONFIG_SNAPSHOT, snapshot.timestamp(), snapshot.data());
        } else if (frame instanceof IndependenceAck ack) {
            // The end of the admin's command: in its trace when the orchestrator echoed it.
            Span span = traces.start("independence acknowledged", session.acknowledgedTrace(ack.trace()))
                    .tag(LogFields.ORCHESTRATOR_ID, id)
                    .tag("version", Long.toString(ack.data().version()));
            try (var ignored = traces.inScope(span)) {
                log.info("{} acknowledged independence version {}", id, ack.data().version());
                publisher.publish(Topics.SESSION_EVENTS, id, SessionEvent.independenceAcked(id, session.sessionId(),
                        edge.id(), Instant.now(), ack.data().isIndependent(), ack.data().version()), traces.traceparent(span));
            } finally {
                span.end();
            }
        } else if (frame instanceof ProvisioningRequest) {
            view.find(id).ifPresent(orchestrator -> pushProvisioning(session, orchestrator));
        } else if (frame instanceof Handshake) {
            session.send(new ErrorFrame(ErrorCode.UNEXPECTED_MESSAGE, "the session already completed its handshake", null));
        }
    }

    /**
     * Publishes a report and acknowledges it only once the broker has; otherwise tells the sender to
     * resend. Each report starts a trace, which its record carries on to its row.
     */
    private void publishReport(EdgeSession session, UUID messageId, Report.Kind kind, String producedAt, JsonNode data) {
        String id = session.orchestratorId();
        Report report = new Report(messageId, id, session.sessionId(), kind,
                Timestamps.parse(producedAt).orElse(null), Instant.now(), data);
        Span span = traces.start("report received", null).tag(LogFields.ORCHESTRATOR_ID, id)
                .tag("message_id", messageId.toString()).tag("kind", kind.name());
        publisher.publish(Topics.REPORTS, id, report, traces.traceparent(span)).whenCompleteAsync((acknowledged, error) -> {
            if (error != null) {
                span.error(error);
            }
            span.end();
            session.send(error == null ? new ReportAck(messageId)
                    : new ErrorFrame(ErrorCode.UNAVAILABLE, "report not durable yet; resend it later", messageId.toString()));
        }, executors.acks());
    }

    private void refuse(EdgeSession session, Decoded.Rejected<InboundFrame> rejected) {
        if (session.state() == EdgeSession.State.AWAITING_HANDSHAKE && "handshake".equals(rejected.type())) {
            metrics.handshakeRejected(CloseCode.INVALID_HANDSHAKE.reason());
            session.close(CloseCode.INVALID_HANDSHAKE);
            return;
        }
        metrics.frameIn("invalid");
        session.send(rejected.toErrorFrame());
    }

    /**
     * Admits a message against the session's budgets. A refused one is dropped: a report so dropped
     * is never acknowledged, so its sender resends it later.
     */
    private boolean withinRate(EdgeSession session, int size) {
        RateLimit.Verdict verdict = session.admitMessage(size);
        if (verdict.action() == RateLimit.Action.PASS) {
            return true;
        }
        metrics.rateLimited(verdict.refusedBy(), size);
        switch (verdict.action()) {
            case REFUSE_AND_WARN:
                session.send(new ErrorFrame(ErrorCode.RATE_LIMITED, verdict.refusedBy() == RateLimit.Budget.BYTES
                        ? "more than " + edge.maxBytesPerMinute() + " bytes/min; this one was dropped"
                        : "more than " + edge.maxMessagesPerSecond() + " messages/s; this one was dropped", null));
                return false;
            case CLOSE:
                session.close(CloseCode.RATE_LIMITED);
                return false;
            default:
                return false;
        }
    }

    /** What a stranger sent, fit for one log line: control characters replaced, at most 200 characters. */
    static String printable(String text) {
        String oneLine = text == null ? null : text.replaceAll("\\p{Cntrl}", "?");
        return oneLine == null || oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }

    private static EdgeSession sessionOf(WebSocketSession socket) {
        return (EdgeSession) socket.getAttributes().get(SESSION);
    }
}
