package ai.moolai.edge.session;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import ai.moolai.edge.config.EdgeProperties;
import ai.moolai.edge.desiredstate.DesiredStateChanged;
import ai.moolai.edge.desiredstate.DesiredStateUnreadable;
import ai.moolai.edge.desiredstate.EnrolmentRefusals;
import ai.moolai.edge.desiredstate.Followed;
import ai.moolai.edge.desiredstate.TopicFollower;
import ai.moolai.edge.desiredstate.TopicFollowers;
import ai.moolai.edge.publish.EdgePublisher;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.CloseCode;
import ai.moolai.protocol.ws.ControllerHeartbeat;
import ai.moolai.protocol.ws.Handshake;
import ai.moolai.service.consumer.RecordReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What happens to sessions without a frame from them: the controller heartbeat and the idle
 * check, admins' changes of desired state (independence pushed live, a deleted orchestrator
 * closed with 4403, a rotated token with 4401, a tokenless session with 4401 once tokenless sessions
 * are no longer allowed or a token is issued, an unreadable desired state with 1013), newer sessions on
 * other edges (4409), and a graceful shutdown that closes every session with 1001 and flushes the
 * producer. Newer sessions elsewhere are learnt by following the session events; should that
 * follower die, the edge takes no more sessions, for it could no longer tell a duplicate.
 */
@Component
class SessionSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionSupervisor.class);

    private final EdgeProperties edge;
    private final SessionRegistry registry;
    private final OrchestratorSocketHandler handler;
    private final EdgePublisher publisher;
    private final EdgeExecutors executors;
    private final TopicFollowers followers;
    private final WaitingRoom waitingRoom;
    private volatile TopicFollower<SessionEvent> otherEdges;
    private ScheduledFuture<?> heartbeats;
    private volatile boolean running;

    SessionSupervisor(EdgeProperties edge, SessionRegistry registry, OrchestratorSocketHandler handler,
                      EdgePublisher publisher, EdgeExecutors executors, TopicFollowers followers,
                      WaitingRoom waitingRoom) {
        this.waitingRoom = waitingRoom;
        this.edge = edge;
        this.registry = registry;
        this.handler = handler;
        this.publisher = publisher;
        this.executors = executors;
        this.followers = followers;
    }

    @EventListener
    void on(DesiredStateChanged change) {
        Optional<EdgeSession> waiting = waitingRoom.of(change.orchestratorId());
        if (waiting.isPresent()) {
            // Admitted by this change, it has been sent what the change holds. Nothing one session
            // does may stop the follower's thread, which serves every session.
            try {
                handler.reconsider(waiting.get());
            } catch (RuntimeException e) {
                log.warn("deciding the waiting session of {} again failed: {}", change.orchestratorId(), e.toString());
            }
            return;
        }
        registry.of(change.orchestratorId()).filter(EdgeSession::isOpen).ifPresent(session -> {
            if (change.after() == null) {
                session.close(CloseCode.UNKNOWN_ORCHESTRATOR);
            } else if (session.credentialHash() != null ? change.credentialChanged() : change.endsTokenlessSessions()) {
                session.close(CloseCode.UNAUTHORIZED);
            } else if (change.independenceChanged()) {
                handler.pushIndependence(session, change.after(), change.traceparent());
            } else {
                handler.pushProvisioning(session, change.after());
            }
        });
    }

    /**
     * An edge whose followers have died reads nothing more: a rotation or a deletion would never
     * reach its sessions, so none stays on what it last read. They go to another edge (1001).
     */
    @EventListener
    void on(AvailabilityChangeEvent<LivenessState> change) {
        if (change.getState() == LivenessState.BROKEN) {
            log.warn("closing {} sessions: the edge can no longer follow the desired state", registry.all().size());
            registry.all().forEach(session -> session.close(CloseCode.EDGE_SHUTDOWN));
        }
    }

    @EventListener
    void on(EnrolmentRefusals.EnrolmentRefused refused) {
        waitingRoom.of(refused.orchestratorId()).ifPresent(session -> session.close(CloseCode.ENROLMENT_REJECTED));
    }

    @EventListener
    void on(DesiredStateUnreadable unreadable) {
        registry.of(unreadable.orchestratorId()).filter(EdgeSession::isOpen)
                .ifPresent(session -> session.close(CloseCode.TRY_AGAIN_LATER));
    }

    void onSessionEvent(Followed<SessionEvent> read) {
        if (read instanceof Followed.Value<SessionEvent> value && value.value() != null) {
            SessionEvent event = value.value();
            if (event.kind() == SessionEvent.Kind.CONNECTED && !edge.id().equals(event.edgeId())) {
                registry.connectedElsewhere(event.orchestratorId(), event.sessionId(), event.at());
            }
        }
    }

    /** Whether new sessions may be taken: running, and still learning of sessions on other edges. */
    boolean takesSessions() {
        TopicFollower<SessionEvent> follower = otherEdges;
        return running && follower != null && follower.isFollowing();
    }

    /** Every controller-heartbeat interval: a heartbeat to each open session, and idle sessions closed. */
    void beat() {
        long now = System.nanoTime();
        long idleLimit = edge.heartbeatTtl().multipliedBy(3).toNanos();
        String ts = Instant.now().toString();
        for (EdgeSession session : registry.all()) {
            Handshake waiting = session.waitedWith();
            if (session.idleLongerThan(idleLimit, now)) {
                session.close(CloseCode.IDLE_TIMEOUT);
            } else if (session.isOpen()) {
                session.send(new ControllerHeartbeat(session.orchestratorId(), ts));
            } else if (session.isWaiting() && waiting != null) {
                session.send(new ControllerHeartbeat(waiting.orchestratorId(), ts));
            }
        }
    }

    @Override
    public void start() {
        otherEdges = followers.follow("other-edges-sessions", Topics.SESSION_EVENTS,
                RecordReader.of(Topics.SESSION_EVENTS), false, this::onSessionEvent);
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
