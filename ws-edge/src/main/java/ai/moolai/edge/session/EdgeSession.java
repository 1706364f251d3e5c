package ai.moolai.edge.session;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

import ai.moolai.protocol.ws.CloseCode;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.Handshake;
import ai.moolai.protocol.ws.OutboundFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One orchestrator connection on this edge: awaiting its handshake, waiting for an admin's approval
 * (an orchestrator nobody registered, in the {@link WaitingRoom}), open for one authenticated
 * orchestrator, or closing. Until its handshake is accepted it holds a place among the
 * unauthenticated sockets. Sends are serialized by the socket decorator, so any thread may send.
 */
final class EdgeSession {

    private static final Logger log = LoggerFactory.getLogger(EdgeSession.class);

    enum State { AWAITING_HANDSHAKE, WAITING, OPEN, CLOSING }

    private final WebSocketSession socket;
    private final String sessionId = UUID.randomUUID().toString();
    private final Instant connectedAt;
    private final String bearerToken;
    private final UnauthenticatedSockets.Place place;
    private final RateLimit rateLimit;
    private final EdgeMetrics metrics;
    private volatile State state = State.AWAITING_HANDSHAKE;
    private volatile String orchestratorId;
    private volatile String credentialHash;
    private volatile boolean closedByEdge;
    private volatile long lastFrameAt;
    private volatile ScheduledFuture<?> timer;
    /** While {@link State#WAITING}: the handshake it waits with, decided again when its desired state changes. */
    private volatile Handshake waitingWith;
    private volatile long lastSeenAnnounced;
    /** The trace the last {@code independence_update} carried: the one an acknowledgement may continue. */
    private volatile String independenceTrace;
    private StringBuilder partial;
    private long binaryBytes;

    EdgeSession(WebSocketSession socket, String bearerToken, UnauthenticatedSockets.Place place, RateLimit rateLimit,
                EdgeMetrics metrics, Instant now) {
        this.socket = socket;
        this.bearerToken = bearerToken;
        this.place = place;
        this.rateLimit = rateLimit;
        this.metrics = metrics;
        this.connectedAt = now;
        this.lastFrameAt = System.nanoTime();
    }

    /** From now on the session is closed with 1008 if it is still without a handshake at its place's deadline. */
    void awaitHandshake() {
        place.occupy(this::handshakeTimedOut);
    }

    /**
     * The handshake was accepted: from now on the session speaks for this orchestrator only. Returns
     * whether it did: a session closed meanwhile (by either side) stays closed.
     */
    synchronized boolean open(String orchestratorId, String credentialHash) {
        if (state != State.AWAITING_HANDSHAKE && state != State.WAITING) {
            return false;
        }
        this.orchestratorId = orchestratorId;
        this.credentialHash = credentialHash;
        this.waitingWith = null;
        this.state = State.OPEN;
        place.release();
        return true;
    }

    /**
     * The handshake named an orchestrator nobody registered: the session waits for an admin, and
     * from now on the waiting room's limits hold it rather than the handshake deadline. Returns
     * whether it does: a session closed meanwhile stays closed.
     */
    synchronized boolean waitWith(Handshake handshake) {
        if (state != State.AWAITING_HANDSHAKE) {
            return false;
        }
        this.waitingWith = handshake;
        this.state = State.WAITING;
        this.lastSeenAnnounced = System.nanoTime();
        place.release();
        return true;
    }

    /**
     * The handshake the session waited with in the waiting room: set while it waits, and after it
     * closed there; {@code null} once it was admitted, or if it never waited.
     */
    Handshake waitedWith() {
        return waitingWith;
    }

    /** Whether a heartbeat now should refresh the session's "last seen": once per interval at most. */
    boolean seenAnnouncementDue(long intervalNanos, long now) {
        if (now - lastSeenAnnounced < intervalNanos) {
            return false;
        }
        lastSeenAnnounced = now;
        return true;
    }

    /** What it keeps of its upgrade request's headers: the handshake's alone ({@link HandshakeHeadersOnly}). */
    HttpHeaders handshakeHeaders() {
        return socket.getHandshakeHeaders();
    }

    /** Where its connection comes from, as the edge sees it. */
    String remoteAddress() {
        var address = socket.getRemoteAddress();
        return address == null ? null : address.getAddress() == null ? address.getHostString()
                : address.getAddress().getHostAddress();
    }

    /**
     * The handshake deadline passed: a session still waiting for its handshake is closed with 1008.
     * Decided under the session's lock, as {@link #open} is: a handshake accepted at the deadline
     * either opens the session or finds it closing, never both.
     */
    private void handshakeTimedOut() {
        synchronized (this) {
            if (state != State.AWAITING_HANDSHAKE) {
                return;
            }
            state = State.CLOSING;
        }
        metrics.handshakeRejected(CloseCode.HANDSHAKE_TIMEOUT.reason());
        close(CloseCode.HANDSHAKE_TIMEOUT);
    }

    /**
     * Adds one part of a text message; returns the whole message once its last part arrived, or
     * {@code null} while more is to come. Large messages are the exception, so the assembly buffer
     * exists only while one is under way.
     *
     * @throws MessageTooBig when the message grows past {@code maxChars}
     */
    String assemble(String part, boolean last, int maxChars) throws MessageTooBig {
        lastFrameAt = System.nanoTime();
        if (partial == null && last) {
            if (part.length() > maxChars) {
                throw new MessageTooBig();
            }
            return part;
        }
        if (partial == null) {
            partial = new StringBuilder(Math.min(maxChars, 4 * part.length()));
        }
        if (partial.length() + part.length() > maxChars) {
            partial = null;
            throw new MessageTooBig();
        }
        partial.append(part);
        if (!last) {
            return null;
        }
        String whole = partial.toString();
        partial = null;
        return whole;
    }

    /**
     * Counts one part of a binary message; returns whether it was the last. Binary is refused
     * whatever it holds, so it is never kept: only its size, so that it cannot stream on unbounded.
     *
     * @throws MessageTooBig when the message grows past {@code maxBytes}
     */
    boolean countBinary(int bytes, boolean last, int maxBytes) throws MessageTooBig {
        binaryBytes += bytes;
        if (binaryBytes > maxBytes) {
            binaryBytes = 0;
            throw new MessageTooBig();
        }
        if (last) {
            binaryBytes = 0;
        }
        return last;
    }

    /** Admits one whole message of this many bytes against the session's budgets (0: counted as a message only). */
    RateLimit.Verdict admitMessage(int size) {
        return rateLimit.take(System.nanoTime(), size);
    }

    /**
     * Sends a frame; a session that can no longer be written to (gone, or a reader too slow for its
     * send buffer) is closed by the transport. Nothing a session's socket does escapes to the
     * caller, which may be a follower's thread serving every session.
     */
    void send(OutboundFrame frame) {
        if (!socket.isOpen()) {
            return;
        }
        try {
            socket.sendMessage(new TextMessage(FrameCodec.encode(frame)));
            metrics.frameOut(FrameCodec.typeOf(frame));
        } catch (IOException | RuntimeException e) {
            log.debug("session {}: send failed: {}", sessionId, e.toString());
        }
    }

    /** Closes the session from the edge's side. */
    void close(CloseCode code) {
        closedByEdge = true;
        end(code);
    }

    /** Closes the session as the orchestrator asked (it deregistered): its own goodbye, not the edge's doing. */
    void closeForOrchestrator(CloseCode code) {
        end(code);
    }

    private void end(CloseCode code) {
        synchronized (this) {
            state = State.CLOSING;
        }
        cancelTimer();
        try {
            socket.close(new CloseStatus(code.code(), code.reason()));
        } catch (IOException | RuntimeException e) {
            log.debug("session {}: close failed: {}", sessionId, e.getMessage());
        }
    }

    /** The socket is closed: its timer and its place, if it still held one, are let go. */
    void closed() {
        synchronized (this) {
            state = State.CLOSING;
        }
        cancelTimer();
        place.release();
    }

    /** Replaces the pending timer (the independence grace). */
    void schedule(ScheduledFuture<?> next) {
        cancelTimer();
        timer = next;
    }

    void cancelTimer() {
        ScheduledFuture<?> current = timer;
        if (current != null) {
            current.cancel(false);
            timer = null;
        }
    }

    boolean idleLongerThan(long nanos, long now) {
        return now - lastFrameAt > nanos;
    }

    State state() {
        return state;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    boolean isWaiting() {
        return state == State.WAITING;
    }

    String sessionId() {
        return sessionId;
    }

    /** Remembers the trace an {@code independence_update} to this session carried. */
    void sentIndependenceTrace(String traceparent) {
        independenceTrace = traceparent;
    }

    /**
     * The trace an acknowledgement continues: the one it echoes, if that is what the edge sent this
     * session; else none. A client never picks the trace (or the sampling) an ack joins.
     */
    String acknowledgedTrace(String echoed) {
        String sent = independenceTrace;
        return sent != null && sent.equals(echoed) ? sent : null;
    }

    String orchestratorId() {
        return orchestratorId;
    }

    String credentialHash() {
        return credentialHash;
    }

    String bearerToken() {
        return bearerToken;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    boolean closedByEdge() {
        return closedByEdge;
    }

    /** A text message larger than the edge accepts. */
    static final class MessageTooBig extends Exception {
        MessageTooBig() {
            super(null, null, false, false);
        }
    }
}
