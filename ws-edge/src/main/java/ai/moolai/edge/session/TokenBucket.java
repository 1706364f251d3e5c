package ai.moolai.edge.session;

import java.util.concurrent.TimeUnit;

/**
 * A budget of events or of bytes: tokens refilled at a steady rate up to a burst, one taken per event
 * (or as many as it weighs). Its owner serializes its use; time is given, never read, so that tests
 * drive it.
 */
final class TokenBucket {

    private static final double SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double perSecond;
    private final double burst;
    private double tokens;
    private long refilledAt;

    /** A full bucket. */
    TokenBucket(double perSecond, double burst, long now) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = now;
    }

    /** Takes a token if one is left. */
    boolean tryTake(long now) {
        return tryTake(now, 1);
    }

    /** Takes this many tokens if as many are left; otherwise takes none. */
    boolean tryTake(long now, double amount) {
        tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / SECOND);
        refilledAt = now;
        if (tokens >= amount) {
            tokens -= amount;
            return true;
        }
        return false;
    }
}
