package ai.moolai.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Full-jitter exponential backoff: the n-th retry waits a random time between zero and
 * {@code min(cap, base × 2^n)}, so a fleet that lost its edge does not come back all at once.
 * A healthy session resets it.
 */
final class Backoff {

    private final Duration base;
    private final Duration cap;
    private int attempt;

    Backoff(Duration base, Duration cap) {
        this.base = base;
        this.cap = cap;
    }

    /** How long to wait before the next attempt. */
    Duration next() {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20));
        attempt++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** The ceiling the next attempt draws from, for logs and tests. */
    Duration ceiling() {
        return Duration.ofMillis(Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20)));
    }

    void reset() {
        attempt = 0;
    }
}
