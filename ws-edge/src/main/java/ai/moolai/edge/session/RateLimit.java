package ai.moolai.edge.session;

import java.util.concurrent.TimeUnit;

/**
 * A session's message budget: a token bucket refilled at the sustained rate, holding twice that
 * as a burst. A message over budget is refused; the first refusal in a second is worth telling the
 * orchestrator about, and too many in one second end the session. Used by one session's frames,
 * which arrive one at a time.
 */
final class RateLimit {

    /** What to do with one message. */
    enum Verdict {
        PASS,
        /** Refuse it and tell the orchestrator (the first refusal of a second). */
        REFUSE_AND_WARN,
        REFUSE,
        /** Refuse it and close the session. */
        CLOSE
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final TokenBucket budget;
    private final int strikesToClose;
    private long strikeWindowStart;
    private int strikes;

    RateLimit(int perSecond, int strikesToClose, long now) {
        this.budget = new TokenBucket(perSecond, 2.0 * perSecond, now);
        this.strikesToClose = strikesToClose;
        this.strikeWindowStart = now;
    }

    Verdict take(long now) {
        if (budget.tryTake(now)) {
            return Verdict.PASS;
        }
        if (now - strikeWindowStart >= SECOND) {
            strikeWindowStart = now;
            strikes = 0;
        }
        strikes++;
        if (strikes > strikesToClose) {
            return Verdict.CLOSE;
        }
        return strikes == 1 ? Verdict.REFUSE_AND_WARN : Verdict.REFUSE;
    }
}
