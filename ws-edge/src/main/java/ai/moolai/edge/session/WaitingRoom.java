package ai.moolai.edge.session;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import ai.moolai.edge.config.EdgeProperties;
import ai.moolai.edge.desiredstate.EnrolmentRefusals;
import ai.moolai.edge.desiredstate.EnrolmentTokens;
import ai.moolai.edge.publish.EdgePublisher;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.Enrolment;
import ai.moolai.protocol.kafka.EnrolmentToken;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.CloseCode;
import ai.moolai.protocol.ws.Handshake;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Orchestrators nobody registered, held until an admin approves or rejects them: one session per
 * claimed id (a newer one replaces the older, 4409), at most {@code edge.waiting-room-sessions} in
 * all and {@code edge.waiting-room-per-address} from one address (more: 1013), none longer than
 * {@code edge.waiting-room-max-wait} (then 1001 {@code waiting_timeout}), and none whose enrolment
 * an admin rejected (4403) while the refusal holds. What the handshake said, and when the session
 * was last heard, go to {@code orchestrator.enrolments.v1} for the admins; nothing else it sends is
 * kept.
 */
@Component
class WaitingRoom {

    private final EdgeProperties edge;
    private final EnrolmentRefusals refusals;
    private final EnrolmentTokens tokens;
    private final EdgePublisher publisher;
    private final EdgeExecutors executors;
    private final MeterRegistry meters;
    private final Map<String, EdgeSession> byId = new ConcurrentHashMap<>();
    /** Each session holding a place, with the address it counts against; changed only under this room's lock. */
    private final Map<EdgeSession, String> places = new ConcurrentHashMap<>();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();

    WaitingRoom(EdgeProperties edge, EnrolmentRefusals refusals, EnrolmentTokens tokens, EdgePublisher publisher,
                EdgeExecutors executors, MeterRegistry meters) {
        this.edge = edge;
        this.refusals = refusals;
        this.tokens = tokens;
        this.publisher = publisher;
        this.executors = executors;
        this.meters = meters;
        Gauge.builder("edge.waiting_room.sessions", places, Map::size)
                .description("unregistered orchestrators waiting on this edge for an admin's approval").register(meters);
    }

    /**
     * Lets the session wait as the orchestrator its handshake claims, or says why not: the room is
     * closed (4401, as any stranger), its enrolment token is unknown, expired or revoked (4401), the
     * id was rejected (4403), or the room or the address is full (1013).
     */
    Optional<CloseCode> enter(EdgeSession session, Handshake handshake) {
        String id = handshake.orchestratorId();
        if (edge.waitingRoomSessions() == 0) {
            return refuse("closed", CloseCode.UNAUTHORIZED);
        }
        if (enrolmentToken(handshake) != null && tokenOf(handshake) == null) {
            return refuse("bad_enrolment_token", CloseCode.UNAUTHORIZED);
        }
        if (refusals.refuses(id, Instant.now())) {
            return refuse("rejected", CloseCode.ENROLMENT_REJECTED);
        }
        String address = String.valueOf(session.remoteAddress());
        EdgeSession older;
        synchronized (this) {
            // A newer session of the id takes the older one's place.
            older = byId.get(id);
            String olderAddress = older == null ? null : places.get(older);
            int held = places.size() - (olderAddress != null ? 1 : 0);
            int fromAddress = perAddress.getOrDefault(address, 0) - (address.equals(olderAddress) ? 1 : 0);
            if (held >= edge.waitingRoomSessions()) {
                return refuse("full", CloseCode.TRY_AGAIN_LATER);
            }
            if (fromAddress >= edge.waitingRoomPerAddress()) {
                return refuse("address_full", CloseCode.TRY_AGAIN_LATER);
            }
            if (!session.waitWith(handshake)) {
                return Optional.of(CloseCode.EDGE_SHUTDOWN);
            }
            if (older != null) {
                release(older);
            }
            byId.put(id, session);
            places.put(session, address);
            perAddress.merge(address, 1, Integer::sum);
        }
        if (older != null) {
            older.close(CloseCode.SESSION_REPLACED);
        }
        session.schedule(executors.timers().schedule(() -> {
            if (session.isWaiting()) {
                session.close(CloseCode.WAITING_TIMEOUT);
            }
        }, edge.waitingRoomMaxWait().toMillis(), TimeUnit.MILLISECONDS));
        announce(session, handshake, Enrolment.Kind.WAITING);
        return Optional.empty();
    }

    /** A heartbeat of a waiting session: its "last seen" is refreshed, once per interval at most. */
    void heard(EdgeSession session) {
        Handshake handshake = session.waitedWith();
        if (session.isWaiting() && session.seenAnnouncementDue(edge.waitingRoomSeenInterval().toNanos(), System.nanoTime())) {
            announce(session, handshake, Enrolment.Kind.SEEN);
        }
    }

    /** The waiting session of this id on this edge, if there is one. */
    Optional<EdgeSession> of(String orchestratorId) {
        return Optional.ofNullable(orchestratorId).map(byId::get).filter(EdgeSession::isWaiting);
    }

    /**
     * The session no longer waits: admitted, or closed. Only a session that closed while waiting is
     * announced as gone; an admitted one is the admins' doing, and they know.
     */
    void leave(EdgeSession session, Handshake waitedWith, boolean closed) {
        boolean wasTheIds;
        synchronized (this) {
            wasTheIds = byId.remove(waitedWith.orchestratorId(), session);
            release(session);
        }
        if (closed && wasTheIds) {
            announce(session, waitedWith, Enrolment.Kind.LEFT);
        }
    }

    /** Gives the session's place back, if it holds one (it does not once a newer session of its id took it). */
    private void release(EdgeSession session) {
        String address = places.remove(session);
        if (address != null) {
            perAddress.computeIfPresent(address, (key, count) -> count > 1 ? count - 1 : null);
        }
    }

    /**
     * An unregistered orchestrator asked over HTTP (the original client's register call): its request
     * goes to the admins as one that is not connected, which its WebSocket, once it connects, makes
     * waiting.
     */
    void askedOverHttp(Handshake handshake, String remoteAddress) {
        announce("http-" + UUID.randomUUID(), remoteAddress, handshake, Enrolment.Kind.ASKED);
    }

    private void announce(EdgeSession session, Handshake handshake, Enrolment.Kind kind) {
        announce(session.sessionId(), session.remoteAddress(), handshake, kind);
    }

    private void announce(String sessionId, String remoteAddress, Handshake handshake, Enrolment.Kind kind) {
        Handshake.Metadata metadata = handshake.data().metadata();
        Handshake.Enrolment enrolment = handshake.data().enrolment();
        boolean full = kind == Enrolment.Kind.WAITING || kind == Enrolment.Kind.ASKED;
        publisher.publish(Topics.ENROLMENTS, handshake.orchestratorId(), new Enrolment(handshake.orchestratorId(), kind,
                sessionId, edge.id(), Instant.now(),
                full && metadata != null ? new SessionEvent.Client(metadata.version(), metadata.hostname(), metadata.ip()) : null,
                full && metadata != null ? metadata.name() : null,
                full && metadata != null ? metadata.location() : null,
                full && metadata != null && metadata.features() != null && metadata.features().isObject()
                        ? metadata.features() : null,
                remoteAddress,
                full && enrolment != null ? Credentials.hash(enrolment.key()) : null,
                full ? tokenOf(handshake) : null));
    }

    private static String enrolmentToken(Handshake handshake) {
        Handshake.Enrolment enrolment = handshake.data().enrolment();
        return enrolment == null ? null : enrolment.token();
    }

    /** The id of the valid enrolment token the handshake carries, or {@code null}. */
    private String tokenOf(Handshake handshake) {
        return tokens.valid(enrolmentToken(handshake), Instant.now()).map(EnrolmentToken::tokenId).orElse(null);
    }

    private Optional<CloseCode> refuse(String reason, CloseCode close) {
        refused.computeIfAbsent(reason, r -> Counter.builder("edge.waiting_room.refused").tag("reason", r)
                .description("handshakes of unregistered orchestrators turned away from the waiting room")
                .register(meters)).increment();
        return Optional.of(close);
    }
}
