package ai.moolai.edge.session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** The edge's counters, on {@code /actuator/prometheus}. */
@Component
class EdgeMetrics {

    /** Why an upgrade is refused: the edge is stopping, the address asks too often, too many sockets await their handshake. */
    static final String UNAVAILABLE = "unavailable", ADDRESS_RATE = "address_rate",
            TOO_MANY_UNAUTHENTICATED = "too_many_unauthenticated";

    private final MeterRegistry meters;
    private final Map<String, Counter> framesIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> framesOut = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> upgradesRefused = new ConcurrentHashMap<>();
    private final Map<String, Counter> tooBig = new ConcurrentHashMap<>();
    private final Counter heartbeatsDropped;
    private final Counter refusedForMessages;
    private final Counter refusedForBytes;
    private final Counter bytesRefused;

    EdgeMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.heartbeatsDropped = Counter.builder("edge.heartbeats.dropped")
                .description("heartbeats not published because the broker or the queue refused them")
                .register(meters);
        this.refusedForMessages = rateLimitedCounter(meters, RateLimit.Budget.MESSAGES);
        this.refusedForBytes = rateLimitedCounter(meters, RateLimit.Budget.BYTES);
        this.bytesRefused = Counter.builder("edge.bytes.refused").baseUnit("bytes")
                .description("bytes of text frames dropped for being over their orchestrator's byte quota")
                .register(meters);
        // Counted from zero, so that a rate over them holds from the first refusal on.
        List.of(UNAVAILABLE, ADDRESS_RATE, TOO_MANY_UNAUTHENTICATED).forEach(reason -> upgradesRefused.put(reason,
                upgradeRefusedCounter(reason)));
    }

    private Counter upgradeRefusedCounter(String reason) {
        return Counter.builder("edge.upgrades.refused").tag("reason", reason)
                .description("upgrade requests refused before any WebSocket state was held").register(meters);
    }

    private static Counter rateLimitedCounter(MeterRegistry meters, RateLimit.Budget budget) {
        return Counter.builder("edge.messages.rate_limited").tag("budget", budget.name().toLowerCase())
                .description("messages dropped for being over their session's message or byte budget").register(meters);
    }

    void frameIn(String type) {
        framesIn.computeIfAbsent(type, t -> Counter.builder("edge.frames.in").tag("type", t).register(meters)).increment();
    }

    void frameOut(String type) {
        framesOut.computeIfAbsent(type, t -> Counter.builder("edge.frames.out").tag("type", t).register(meters)).increment();
    }

    void handshakeRejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("edge.handshakes.rejected").tag("reason", r)
                .register(meters)).increment();
    }

    void upgradeRefused(String reason) {
        upgradesRefused.computeIfAbsent(reason, this::upgradeRefusedCounter).increment();
    }

    /** A message over its cap closed its session; {@code kind} is text or binary. */
    void messageTooBig(String kind, boolean authenticated) {
        tooBig.computeIfAbsent(kind + authenticated, k -> Counter.builder("edge.messages.too_big").tag("kind", kind)
                .tag("authenticated", Boolean.toString(authenticated))
                .description("sessions closed with 1009 for a message over its cap").register(meters)).increment();
    }

    /** A message of this size was dropped for being over a budget. */
    void rateLimited(RateLimit.Budget budget, int size) {
        if (budget == RateLimit.Budget.BYTES) {
            refusedForBytes.increment();
            bytesRefused.increment(size);
        } else {
            refusedForMessages.increment();
        }
    }

    void heartbeatDropped() {
        heartbeatsDropped.increment();
    }
}
