package ai.moolai.service.consumer;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Every consumer of this process and its progress; as the {@code consumers} health: DOWN when one
 * has died, OUT_OF_SERVICE when one has had work for longer than {@code stallAfter} without
 * finishing it, with the consumer and the reason in the details.
 */
public final class ConsumerWatch implements HealthIndicator {

    private final Map<String, ConsumerProgress> consumers = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration stallAfter;

    public ConsumerWatch(MeterRegistry meters, Clock clock, Duration stallAfter) {
        this.meters = meters;
        this.clock = clock;
        this.stallAfter = stallAfter;
    }

    /** The progress of this consumer, registered (with its gauge) on first use. */
    public ConsumerProgress progress(String consumer) {
        return consumers.computeIfAbsent(consumer, name -> {
            ConsumerProgress progress = new ConsumerProgress(name, clock);
            TimeGauge.builder("mooli.consumer.oldest_unprocessed_age", progress,
                            TimeUnit.MILLISECONDS, p -> p.oldestUnprocessedAge().toMillis())
                    .tag("consumer", name)
                    .description("age of the oldest record handed to the consumer and not yet stored or dead-lettered")
                    .register(meters);
            return progress;
        });
    }

    Collection<ConsumerProgress> all() {
        return consumers.values();
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        boolean stalled = false;
        for (ConsumerProgress progress : consumers.values()) {
            var failure = progress.failure();
            var busy = progress.busyFor();
            if (failure.isPresent()) {
                health.down();
                health.withDetail(progress.consumer(), "dead: " + failure.get());
            } else if (busy.isPresent() && busy.get().compareTo(stallAfter) > 0) {
                stalled = true;
                health.withDetail(progress.consumer(), "no progress for " + busy.get().toSeconds() + " s with records waiting"
                        + " (oldest " + progress.oldestUnprocessedAge().toSeconds() + " s old)");
            } else {
                health.withDetail(progress.consumer(), busy.isPresent() ? "working" : "idle");
            }
        }
        Health built = health.build();
        return stalled && built.getStatus().equals(org.springframework.boot.health.contributor.Status.UP)
                ? Health.outOfService().withDetails(built.getDetails()).build() : built;
    }
}
