package ai.moolai.edge.session;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ai.moolai.protocol.ws.CloseCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The sessions on this edge, and the rule that an orchestrator has one live session: a newer one
 * replaces the older, here or (told by session events) on another edge.
 */
@Component
class SessionRegistry {

    private final Set<EdgeSession> connected = ConcurrentHashMap.newKeySet();
    private final Map<String, EdgeSession> byOrchestrator = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    SessionRegistry(MeterRegistry meters, @Value("${server.tomcat.max-connections}") int maxConnections) {
        Gauge.builder("edge.sessions.open", connected, Set::size)
                .description("WebSocket connections, authenticated or not").register(meters);
        Gauge.builder("edge.sessions.limit", () -> maxConnections)
                .description("connections the edge accepts at most (EDGE_MAX_CONNECTIONS); more wait for one to close")
                .register(meters);
        Gauge.builder("edge.sessions.authenticated", byOrchestrator, Map::size)
                .description("sessions past their handshake").register(meters);
    }

    void connected(EdgeSession session) {
        connected.add(session);
    }

    /** Makes this the orchestrator's session on this edge, closing an older one with 4409. */
    void bind(EdgeSession session) {
        EdgeSession older = byOrchestrator.put(session.orchestratorId(), session);
        if (older != null && older != session) {
            older.close(CloseCode.SESSION_REPLACED);
        }
    }

    void disconnected(EdgeSession session) {
        connected.remove(session);
        if (session.orchestratorId() != null) {
            byOrchestrator.remove(session.orchestratorId(), session);
        }
    }

    /**
     * Another edge announced a session of this orchestrator: the session here, if older, is
     * replaced (4409). A tie in time goes to the larger session id, so two edges never both close.
     */
    void connectedElsewhere(String orchestratorId, String sessionId, Instant at) {
        EdgeSession local = byOrchestrator.get(orchestratorId);
        if (local == null || local.sessionId().equals(sessionId)) {
            return;
        }
        int age = local.connectedAt().compareTo(at);
        if (age < 0 || age == 0 && local.sessionId().compareTo(sessionId) < 0) {
            local.close(CloseCode.SESSION_REPLACED);
        }
    }

    /** From now on new connections are turned away, and every session is closed with 1001. */
    void shutDown() {
        shuttingDown = true;
        connected.forEach(session -> session.close(CloseCode.EDGE_SHUTDOWN));
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Sessions past their handshake. */
    int authenticatedCount() {
        return byOrchestrator.size();
    }

    Optional<EdgeSession> of(String orchestratorId) {
        return Optional.ofNullable(byOrchestrator.get(orchestratorId));
    }

    Collection<EdgeSession> all() {
        return connected;
    }
}
