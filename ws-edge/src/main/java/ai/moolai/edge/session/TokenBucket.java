package ai.moolai.edge.session;

import java.util.concurrent.TimeUnit;

/**
 * A budget of events: tokens refilled at a steady rate up to a burst, one taken per event. Its
 * owner serializes its use; time is given, never read, so that tests drive it.
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
        tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / SECOND);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
