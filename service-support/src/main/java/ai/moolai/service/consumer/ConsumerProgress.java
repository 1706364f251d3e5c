package ai.moolai.service.consumer;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How far one consumer is behind, as its owner reports it: records handed over and not yet done,
 * the oldest of them, and whether the consumer has died. Read by the consumers' health and the
 * {@code mooli.consumer.oldest_unprocessed_age} gauge. A consumer of several threads (a listener
 * container's concurrency) keeps each thread's work apart, so that one thread finishing its
 * batches never hides another stuck on its own.
 */
public final class ConsumerProgress {

    private final String consumer;
    private final Clock clock;
    /** Each thread's work handed over and not yet done. */
    private final Map<Thread, Pending> pending = new HashMap<>();
    private long done;
    private String failure;

    ConsumerProgress(String consumer, Clock clock) {
        this.consumer = consumer;
        this.clock = clock;
    }

    public String consumer() {
        return consumer;
    }

    /**
     * Records were handed to the consumer; {@code oldestTimestamp} is the record time of the
     * oldest. Handing the same records over again (a retry) keeps the time work began.
     */
    public synchronized void started(long oldestTimestamp) {
        long now = clock.millis();
        // A record without a time (-1) counts from when it was handed over.
        long oldest = oldestTimestamp < 0 ? now : oldestTimestamp;
        pending.merge(Thread.currentThread(), new Pending(now, oldest),
                (before, again) -> new Pending(before.since(), Math.min(before.oldest(), again.oldest())));
    }

    /** Every record handed over to this thread so far is done (stored or dead-lettered), {@code count} of them. */
    public synchronized void finished(int count) {
        pending.remove(Thread.currentThread());
        done += count;
    }

    /** The consumer is dead and will process nothing more; {@code reason} says why. */
    public synchronized void failed(String reason) {
        failure = reason;
    }

    /** Why the consumer is dead, if it is. */
    public synchronized Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Records done since start. */
    public synchronized long done() {
        return done;
    }

    /** How old the oldest record handed over and not yet done is; zero when nothing waits. */
    public synchronized Duration oldestUnprocessedAge() {
        OptionalLong oldest = pending.values().stream().mapToLong(Pending::oldest).min();
        return oldest.isEmpty() ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - oldest.getAsLong()));
    }

    /** How long the consumer has had work without finishing it, if it has work. */
    public synchronized Optional<Duration> busyFor() {
        OptionalLong since = pending.values().stream().mapToLong(Pending::since).min();
        return since.isEmpty() ? Optional.empty() : Optional.of(Duration.ofMillis(clock.millis() - since.getAsLong()));
    }

    /**
     * @param since  when the work was first handed over
     * @param oldest the record time of its oldest record
     */
    private record Pending(long since, long oldest) {
    }
}
