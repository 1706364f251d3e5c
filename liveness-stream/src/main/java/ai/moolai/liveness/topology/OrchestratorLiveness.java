package ai.moolai.liveness.topology;

import java.time.Instant;
import java.util.Objects;

import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessTransition;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.SessionEvent;
import com.fasterxml.jackson.annotation.JsonAutoDetect;

/**
 * Everything the topology knows about one orchestrator, kept in its state store. Each event is a
 * method that checks the current state and says what changed; the processor does the I/O.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class OrchestratorLiveness {

    /**
     * An orchestrator ACTIVE again within this long of going INACTIVE (silent past its TTL, or
     * disconnected) has flapped. UNKNOWN (its edge's silence) and an admin's decisions are not its doing.
     */
    static final long FLAP_WITHIN_MILLIS = 10 * 60 * 1000;

    /**
     * What an event did.
     *
     * @param changed    the liveness record changed and is to be emitted
     * @param transition the status (or the independence reason) changed; {@code null} otherwise
     * @param flapped    it became ACTIVE again within {@link #FLAP_WITHIN_MILLIS} of going INACTIVE
     */
    record Effect(boolean changed, LivenessTransition transition, boolean flapped) {
        static final Effect NONE = new Effect(false, null, false);
        static final Effect CHANGED = new Effect(true, null, false);
    }

    private String orchestratorId;
    private LivenessStatus status;
    private LivenessReason reason;
    private Instant since;
    private Instant lastSeen;
    private boolean connected;
    private String sessionId;
    private String edgeId;
    private boolean independent;
    private Long requestedVersion;
    private Long ackedVersion;
    /** The deadline (epoch millis) under which this orchestrator sits in the deadline index, if any. */
    private Long armedDeadline;
    /** The open window's start (epoch millis), or {@code null} while no window is open. */
    private Long windowStart;
    private long windowHeartbeats;
    private long windowActiveMillis;
    /** Since when (epoch millis) it has been ACTIVE, while it is. */
    private Long activeSince;
    /** When (epoch millis) it last went INACTIVE by its own doing (silence or a disconnect), if it did. */
    private Long inactiveAt;
    /** While UNKNOWN: when (epoch millis) to look at its edge again. */
    private Long recheckAt;
    /**
     * When (epoch millis, this task's clock) it was taken up from a restored liveness, until it is
     * heard again: while no beacon of its edge has been read, it is UNKNOWN rather than INACTIVE.
     */
    private Long restoredAt;

    private OrchestratorLiveness() {
    }

    /** First seen now: registered (PENDING), or independent from the start. */
    static OrchestratorLiveness firstSeen(String orchestratorId, Instant at) {
        OrchestratorLiveness liveness = new OrchestratorLiveness();
        liveness.orchestratorId = orchestratorId;
        liveness.status = LivenessStatus.PENDING;
        liveness.reason = LivenessReason.REGISTERED;
        liveness.since = at;
        return liveness;
    }

    /**
     * Taken up, at {@code now} on this task's clock, from the liveness control-api last knew
     * ({@code restored}), over the registration this task knows ({@code registered}, whose admin
     * decisions stand), or over nothing ({@code null}). An UNKNOWN one is looked at again at once.
     * Until it is heard again, it is judged by its edge's beacons alone: UNKNOWN while none is read,
     * and the silence before the edge's first beacon counts for nothing.
     */
    static OrchestratorLiveness restored(String orchestratorId, Liveness restored, OrchestratorLiveness registered,
                                         long now) {
        OrchestratorLiveness liveness = new OrchestratorLiveness();
        liveness.orchestratorId = orchestratorId;
        liveness.independent = registered != null ? registered.independent
                : restored.status() == LivenessStatus.INDEPENDENT;
        liveness.requestedVersion = registered != null && registered.requestedVersion != null
                ? registered.requestedVersion : restored.independenceRequestedVersion();
        liveness.status = restored.status();
        liveness.reason = restored.reason();
        liveness.since = restored.since();
        liveness.lastSeen = restored.lastSeen();
        liveness.connected = restored.connected();
        liveness.sessionId = restored.sessionId();
        liveness.edgeId = restored.edgeId();
        liveness.ackedVersion = restored.independenceAckedVersion();
        liveness.restoredAt = now;
        if (liveness.status == LivenessStatus.ACTIVE) {
            liveness.activeSince = liveness.since.toEpochMilli();
        }
        if (liveness.status == LivenessStatus.UNKNOWN) {
            liveness.recheckAt = liveness.since.toEpochMilli();
        }
        return liveness;
    }

    /** Whether all this task knows of it is its registration: never connected, never heard. */
    boolean onlyRegistered() {
        return status == LivenessStatus.PENDING && lastSeen == null && !connected;
    }

    boolean independent() {
        return independent;
    }

    /** The transition into PENDING that a first registration is. */
    LivenessTransition registration() {
        return new LivenessTransition(orchestratorId, null, LivenessStatus.PENDING, LivenessReason.REGISTERED, since,
                new LivenessTransition.Evidence(null, null, null, null, requestedVersion));
    }

    /** An admin's decision arrived: independence requested or revoked. */
    Effect desired(DesiredState desired, Instant at) {
        if (desired.independent() && !independent) {
            independent = true;
            requestedVersion = desired.version();
            return moveTo(LivenessStatus.INDEPENDENT, LivenessReason.INDEPENDENCE_REQUESTED, at, null);
        }
        if (!desired.independent() && independent) {
            independent = false;
            requestedVersion = desired.version();
            return moveTo(LivenessStatus.INACTIVE, LivenessReason.INDEPENDENCE_REVOKED, at, null);
        }
        if (independent && !Objects.equals(requestedVersion, desired.version())) {
            requestedVersion = desired.version();
            return Effect.CHANGED;
        }
        return Effect.NONE;
    }

    /**
     * An {@code i_am_alive}. Never moves an independent orchestrator; a heartbeat older than the
     * current status does not revive it; emitted only when it changes the status. The new
     * {@code lastSeen} is kept in the state store and goes out with the next change: who wants it to
     * the second reads the heartbeat topic (control-api does).
     */
    Effect heartbeat(Heartbeat heartbeat) {
        if (independent) {
            return Effect.NONE;
        }
        Instant at = heartbeat.receivedAt();
        if (lastSeen == null || at.isAfter(lastSeen)) {
            lastSeen = at;
            edgeId = heartbeat.edgeId();
            restoredAt = null;
        }
        if (status != LivenessStatus.ACTIVE && at.isAfter(since)) {
            return moveTo(LivenessStatus.ACTIVE, LivenessReason.HEARTBEAT, at, null);
        }
        return Effect.NONE;
    }

    /** A session opened. */
    Effect connected(SessionEvent event) {
        sessionId = event.sessionId();
        edgeId = event.edgeId();
        connected = true;
        restoredAt = null;
        if (lastSeen == null || event.at().isAfter(lastSeen)) {
            lastSeen = event.at();
        }
        if (!independent && status != LivenessStatus.ACTIVE) {
            return moveTo(LivenessStatus.ACTIVE, LivenessReason.CONNECTED, event.at(), null);
        }
        return Effect.CHANGED;
    }

    /**
     * A session ended. Only the orchestrator's own clean close makes it INACTIVE at once; a close
     * by the edge or a dropped connection leaves it to the TTL, so a reconnect does not flap. The
     * goodbye of a session already replaced by a newer one changes nothing.
     */
    Effect disconnected(SessionEvent event) {
        if (!Objects.equals(event.sessionId(), sessionId)) {
            return Effect.NONE;
        }
        connected = false;
        if (!independent && status == LivenessStatus.ACTIVE && event.closedBy() == SessionEvent.ClosedBy.ORCHESTRATOR) {
            return moveTo(LivenessStatus.INACTIVE, LivenessReason.DISCONNECTED, event.at(), event.closeCode());
        }
        if (status == LivenessStatus.UNKNOWN) {
            return moveTo(LivenessStatus.INACTIVE, LivenessReason.DISCONNECTED, later(event.at(), since),
                    event.closeCode());
        }
        return Effect.CHANGED;
    }

    /** The orchestrator acknowledged an independence update. */
    Effect independenceAcknowledged(SessionEvent event) {
        ackedVersion = event.independenceVersion();
        if (independent && Boolean.TRUE.equals(event.independent()) && reason != LivenessReason.INDEPENDENCE_CONFIRMED) {
            return moveTo(LivenessStatus.INDEPENDENT, LivenessReason.INDEPENDENCE_CONFIRMED, event.at(), null);
        }
        return Effect.CHANGED;
    }

    /**
     * At {@code now}, with its edge as this task hears it ({@code null}: an edge that sends no
     * beacons): an ACTIVE orchestrator silent for the TTL becomes INACTIVE as of its deadline when
     * its edge was heard all along since its last heartbeat, once a beacon the edge sent after that
     * deadline has been read (until then, its last heartbeats may still be on their way). When the
     * edge is not heard (no beacon for the lost-after limit, or one saying it cannot publish), it
     * becomes UNKNOWN instead, for its silence may be the edge's, and is looked at again every
     * lost-after limit. Once the edge is heard again, an orchestrator is INACTIVE when its silence
     * that the edge could have heard adds up to the TTL.
     */
    Effect expire(long now, long ttlMillis, EdgeView edge, long lostAfterMillis) {
        Long deadline = deadline(ttlMillis);
        if (deadline == null || deadline > now) {
            return Effect.NONE;
        }
        // Restored after the broker's data was lost, with its edge not heard since: the edge's silence, not its own.
        LivenessReason silence = edge != null ? edge.silence(now, lostAfterMillis)
                : restoredAt != null ? LivenessReason.EDGE_LOST : null;
        if (silence != null) {
            recheckAt = now + lostAfterMillis;
            return status == LivenessStatus.ACTIVE
                    ? moveTo(LivenessStatus.UNKNOWN, silence, Instant.ofEpochMilli(deadline), null) : Effect.NONE;
        }
        long silentSince = lastSeen.toEpochMilli();
        long inactiveAt = edge == null ? silentSince + ttlMillis : edge.silentForTheTtlAt(silentSince, ttlMillis);
        if (inactiveAt <= (edge == null ? now : edge.vouchedUntil(now))) {
            recheckAt = null;
            return moveTo(LivenessStatus.INACTIVE, LivenessReason.HEARTBEAT_TIMEOUT,
                    later(Instant.ofEpochMilli(inactiveAt), since), null);
        }
        if (inactiveAt <= now) {
            // Silent long enough, but the edge's beacons have not yet vouched for that time: its
            // heartbeats up to then may still be on their way. Looked at again at the next check.
            recheckAt = inactiveAt;
            return Effect.NONE;
        }
        recheckAt = inactiveAt;
        return status == LivenessStatus.ACTIVE
                ? moveTo(LivenessStatus.UNKNOWN, LivenessReason.EDGE_LOST, Instant.ofEpochMilli(deadline), null)
                : Effect.NONE;
    }

    /**
     * When it expires, or its edge is to be looked at again, if nothing more is heard (epoch
     * millis); {@code null} when it cannot expire.
     */
    Long deadline(long ttlMillis) {
        if (independent) {
            return null;
        }
        if (status == LivenessStatus.UNKNOWN) {
            return recheckAt;
        }
        return status == LivenessStatus.ACTIVE && lastSeen != null ? lastSeen.toEpochMilli() + ttlMillis : null;
    }

    /** Opens the window holding {@code at} unless one is open; {@code true} when it opened one. */
    boolean openWindow(long at, long windowMillis) {
        if (windowStart != null) {
            return false;
        }
        windowStart = Math.floorDiv(at, windowMillis) * windowMillis;
        return true;
    }

    void countHeartbeat() {
        windowHeartbeats++;
    }

    /** The end of the open window (epoch millis), or {@code null}. */
    Long windowEnd(long windowMillis) {
        return windowStart == null ? null : windowStart + windowMillis;
    }

    /** Closes the open window; the next one opens at once while the orchestrator stays ACTIVE. */
    LivenessWindow closeWindow(long windowMillis) {
        long start = windowStart;
        long end = start + windowMillis;
        if (activeSince != null) {
            windowActiveMillis += end - Math.max(activeSince, start);
        }
        LivenessWindow window = new LivenessWindow(orchestratorId, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end),
                windowHeartbeats, Math.round(windowActiveMillis / 1000.0));
        windowHeartbeats = 0;
        windowActiveMillis = 0;
        windowStart = status == LivenessStatus.ACTIVE ? end : null;
        return window;
    }

    Liveness toLiveness(Instant now) {
        return new Liveness(orchestratorId, status, reason, since, lastSeen, connected, sessionId, edgeId,
                requestedVersion, ackedVersion, now);
    }

    private Effect moveTo(LivenessStatus to, LivenessReason why, Instant at, Integer closeCode) {
        LivenessStatus from = status;
        long atMillis = at.toEpochMilli();
        if (from == LivenessStatus.ACTIVE && to != LivenessStatus.ACTIVE && activeSince != null) {
            windowActiveMillis += Math.max(0, atMillis - Math.max(activeSince, windowStart == null ? atMillis : windowStart));
            activeSince = null;
        }
        boolean flapped = false;
        if (to == LivenessStatus.ACTIVE && from != LivenessStatus.ACTIVE) {
            activeSince = atMillis;
            flapped = from == LivenessStatus.INACTIVE && inactiveAt != null && atMillis - inactiveAt <= FLAP_WITHIN_MILLIS;
        }
        if (to == LivenessStatus.INACTIVE
                && (why == LivenessReason.HEARTBEAT_TIMEOUT || why == LivenessReason.DISCONNECTED)) {
            inactiveAt = atMillis;
        }
        status = to;
        reason = why;
        since = at;
        return new Effect(true, new LivenessTransition(orchestratorId, from, to, why, at,
                new LivenessTransition.Evidence(lastSeen, sessionId, edgeId, closeCode, independenceVersion(why))), flapped);
    }

    /** The desired-state version an independence transition rests on; none for the others. */
    private Long independenceVersion(LivenessReason why) {
        return switch (why) {
            case INDEPENDENCE_CONFIRMED -> ackedVersion;
            case INDEPENDENCE_REQUESTED, INDEPENDENCE_REVOKED -> requestedVersion;
            default -> null;
        };
    }

    String orchestratorId() {
        return orchestratorId;
    }

    /** The edge of its latest session or heartbeat. */
    String edgeId() {
        return edgeId;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    LivenessStatus status() {
        return status;
    }

    Long armedDeadline() {
        return armedDeadline;
    }

    void armedAt(Long deadline) {
        armedDeadline = deadline;
    }
}
