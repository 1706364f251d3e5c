package ai.moolai.edge.session;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import ai.moolai.edge.config.EdgeProperties;
import ai.moolai.edge.desiredstate.DesiredStateChanged;
import ai.moolai.edge.desiredstate.TopicFollower;
import ai.moolai.edge.publish.EdgePublisher;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.CloseCode;
import ai.moolai.protocol.ws.ControllerHeartbeat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What happens to sessions without a frame from them: the controller heartbeat and the idle
 * check, admins' changes of desired state (independence pushed live, a deleted orchestrator
 * closed with 4403, a rotated token with 4401), newer sessions on other edges (4409), and a
 * graceful shutdown that closes every session with 1001 and flushes the producer.
 */
@Component
class SessionSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionSupervisor.class);

    private final EdgeProperties edge;
    private final SessionRegistry registry;
    private final OrchestratorSocketHandler handler;
    private final EdgePublisher publisher;
    private final EdgeExecutors executors;
    private final KafkaProperties kafka;
    private TopicFollower<SessionEvent> otherEdges;
    private ScheduledFuture<?> heartbeats;
    private volatile boolean running;

    SessionSupervisor(EdgeProperties edge, SessionRegistry registry, OrchestratorSocketHandler handler,
                      EdgePublisher publisher, EdgeExecutors executors, KafkaProperties kafka) {
        this.edge = edge;
        this.registry = registry;
        this.handler = handler;
        this.publisher = publisher;
        this.executors = executors;
        this.kafka = kafka;
    }

    @EventListener
    void on(DesiredStateChanged change) {
        registry.of(change.orchestratorId()).filter(EdgeSession::isOpen).ifPresent(session -> {
            if (change.after() == null) {
                session.close(CloseCode.UNKNOWN_ORCHESTRATOR);
            } else if (change.credentialChanged() && session.credentialHash() != null) {
                session.close(CloseCode.UNAUTHORIZED);
            } else if (change.independenceChanged()) {
                handler.pushIndependence(session, change.after());
            } else {
                handler.pushProvisioning(session, change.after());
            }
        });
    }

    void onSessionEvent(ConsumerRecord<String, SessionEvent> record) {
        SessionEvent event = record.value();
        if (event != null && event.kind() == SessionEvent.Kind.CONNECTED && !edge.id().equals(event.edgeId())) {
            registry.connectedElsewhere(event.orchestratorId(), event.sessionId(), event.at());
        }
    }

    /** Every controller-heartbeat interval: a heartbeat to each open session, and idle sessions closed. */
    void beat() {
        long now = System.nanoTime();
        long idleLimit = edge.heartbeatTtl().multipliedBy(3).toNanos();
        String ts = Instant.now().toString();
        for (EdgeSession session : registry.all()) {
            if (session.idleLongerThan(idleLimit, now)) {
                session.close(CloseCode.IDLE_TIMEOUT);
            } else if (session.isOpen()) {
                session.send(new ControllerHeartbeat(session.orchestratorId(), ts));
            }
        }
    }

    @Override
    public void start() {
        otherEdges = new TopicFollower<>(Topics.SESSION_EVENTS, kafka.buildConsumerProperties(), false, this::onSessionEvent);
        otherEdges.start();
        long period = edge.controllerHeartbeat().toMillis();
        heartbeats = executors.timers().scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Runs first at shutdown (highest phase), while the web server and the producer still work. */
    @Override
    public void stop() {
        running = false;
        heartbeats.cancel(false);
        log.info("closing {} sessions: edge shutting down", registry.all().size());
        registry.shutDown();
        try {
            publisher.flush();
            otherEdges.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
