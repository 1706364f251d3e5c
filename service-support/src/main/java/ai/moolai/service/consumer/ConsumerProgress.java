package ai.moolai.service.consumer;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How far one consumer is behind, as its owner reports it: records handed over and not yet done,
 * the oldest of them, and whether the consumer has died. Read by the consumers' health and the
 * {@code mooli.consumer.oldest_unprocessed_age} gauge.
 */
public final class ConsumerProgress {

    private final String consumer;
    private final Clock clock;
    private long oldestPendingTimestamp = -1;
    private long pendingSince = -1;
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
        if (pendingSince < 0) {
            pendingSince = now;
            oldestPendingTimestamp = oldest;
        } else {
            oldestPendingTimestamp = Math.min(oldestPendingTimestamp, oldest);
        }
    }

    /** Every record handed over so far is done (stored or dead-lettered), {@code count} of them. */
    public synchronized void finished(int count) {
        pendingSince = -1;
        oldestPendingTimestamp = -1;
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
        return pendingSince < 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - oldestPendingTimestamp));
    }

    /** How long the consumer has had work without finishing it, if it has work. */
    public synchronized Optional<Duration> busyFor() {
        return pendingSince < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(clock.millis() - pendingSince));
    }
}
