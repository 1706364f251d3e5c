package ai.moolai.edge.session;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.moolai.edge.config.EdgeProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The sockets a stranger holds: each takes a {@link Place} at its upgrade and gives it back once
 * its handshake is accepted or it closes, and there are {@code edge.max-unauthenticated-sessions}
 * places. A place also ends at the handshake deadline ({@code edge.handshake-timeout} after the
 * upgrade), whatever became of its socket: an upgrade that failed after the gate, a socket Tomcat
 * never handed to the edge, or one the edge closed and the client never answered, all hold a place
 * no longer than that.
 */
@Component
class UnauthenticatedSockets {

    private final AtomicInteger taken = new AtomicInteger();
    private final int places;
    private final long deadlineMillis;
    private final EdgeExecutors executors;

    UnauthenticatedSockets(EdgeProperties edge, EdgeExecutors executors, MeterRegistry meters) {
        this.places = edge.maxUnauthenticatedSessions();
        this.deadlineMillis = edge.handshakeTimeout().toMillis();
        this.executors = executors;
        Gauge.builder("edge.sessions.unauthenticated", taken, AtomicInteger::get)
                .description("sockets upgraded and not yet authenticated").register(meters);
    }

    /** A place for one more socket until its handshake deadline, or {@code null} when all are taken. */
    Place enter() {
        if (taken.incrementAndGet() > places) {
            taken.decrementAndGet();
            return null;
        }
        Place place = new Place();
        place.deadline = executors.timers().schedule(place::expire, deadlineMillis, TimeUnit.MILLISECONDS);
        return place;
    }

    /** One socket's place, given back once (whichever of release and deadline comes first). */
    final class Place {

        private boolean held = true;
        private Runnable atDeadline;
        private volatile ScheduledFuture<?> deadline;

        /** The socket that holds this place is told when its deadline passes; at once, if it has. */
        void occupy(Runnable atDeadline) {
            synchronized (this) {
                if (held) {
                    this.atDeadline = atDeadline;
                    return;
                }
            }
            atDeadline.run();
        }

        /** Gives the place back before its deadline: the handshake was accepted, or the socket is gone. */
        void release() {
            synchronized (this) {
                if (!held) {
                    return;
                }
                held = false;
                atDeadline = null;
            }
            taken.decrementAndGet();
            deadline.cancel(false);
        }

        private void expire() {
            Runnable occupant;
            synchronized (this) {
                if (!held) {
                    return;
                }
                held = false;
                occupant = atDeadline;
                atDeadline = null;
            }
            taken.decrementAndGet();
            if (occupant != null) {
                occupant.run();
            }
        }
    }
}
