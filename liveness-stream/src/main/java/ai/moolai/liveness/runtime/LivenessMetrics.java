package ai.moolai.liveness.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ai.moolai.liveness.topology.LivenessListener;
import ai.moolai.protocol.kafka.LivenessStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * The topology's metrics: orchestrators by status on this instance, transitions, expiry-check
 * duration and what each check found due. Dead-lettered records are counted where they are
 * published, in {@code mooli.dead_lettered{topic}}.
 */
@Component
class LivenessMetrics implements LivenessListener {

    private final Map<LivenessStatus, AtomicLong> byStatus = new EnumMap<>(LivenessStatus.class);
    private final Map<LivenessStatus, Counter> transitions = new EnumMap<>(LivenessStatus.class);
    private final Timer punctuation;
    private final Counter deadlinesDue;
    private final Counter flaps;

    LivenessMetrics(MeterRegistry meters) {
        for (LivenessStatus status : LivenessStatus.values()) {
            AtomicLong count = new AtomicLong();
            byStatus.put(status, count);
            Gauge.builder("liveness.orchestrators", count, AtomicLong::get).tag("status", status.name())
                    .description("orchestrators tracked by this instance, by status").register(meters);
            // Counted from zero, so that a rate over them holds from the first transition on.
            transitions.put(status, Counter.builder("liveness.transitions").tag("to", status.name())
                    .description("status transitions emitted").register(meters));
        }
        this.punctuation = Timer.builder("liveness.punctuation").description("one expiry check").register(meters);
        this.deadlinesDue = Counter.builder("liveness.deadlines.due")
                .description("deadline entries an expiry check found due").register(meters);
        this.flaps = Counter.builder("liveness.flaps")
                .description("orchestrators ACTIVE again within 10 minutes of going INACTIVE (silent or disconnected)").register(meters);
    }

    @Override
    public void moved(LivenessStatus from, LivenessStatus to) {
        if (from != null) {
            byStatus.get(from).decrementAndGet();
        }
        if (to != null) {
            byStatus.get(to).incrementAndGet();
        }
    }

    @Override
    public void transitioned(LivenessStatus from, LivenessStatus to) {
        transitions.get(to).increment();
    }

    @Override
    public void flapped() {
        flaps.increment();
    }

    @Override
    public void punctuated(long nanos, int deadlines, int windows) {
        punctuation.record(nanos, TimeUnit.NANOSECONDS);
        deadlinesDue.increment(deadlines);
    }

    long count(LivenessStatus status) {
        return byStatus.get(status).get();
    }
}
