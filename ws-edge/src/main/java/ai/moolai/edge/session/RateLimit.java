package ai.moolai.edge.session;

import java.util.concurrent.TimeUnit;

/**
 * A session's budgets: messages (a token bucket refilled at the sustained rate, holding twice that as
 * a burst) and bytes of text (refilled per minute, up to its own burst). A message over either budget
 * is refused; the first refusal in a second is worth telling the orchestrator about, and too many in
 * one second end the session, whichever budget refused them. Used by one session's frames, which
 * arrive one at a time.
 */
final class RateLimit {

    /** What to do with one message. */
    enum Action {
        PASS,
        /** Refuse it and tell the orchestrator (the first refusal of a second). */
        REFUSE_AND_WARN,
        REFUSE,
        /** Refuse it and close the session. */
        CLOSE
    }

    /** The budget a message was refused by. */
    enum Budget { MESSAGES, BYTES }

    /** What to do with one message and, unless it passes, which budget refused it. */
    record Verdict(Action action, Budget refusedBy) {

        static final Verdict PASS = new Verdict(Action.PASS, null);
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final double MINUTE_IN_SECONDS = 60.0;

    private final TokenBucket messages;
    private final TokenBucket bytes;
    private final int strikesToClose;
    private long strikeWindowStart;
    private int strikes;

    /**
     * @param perSecond      messages per second, sustained; bursts of twice that pass
     * @param bytesPerMinute bytes per minute, sustained
     * @param byteBurst      bytes that may arrive at once; at least the largest frame, or that frame never passes
     * @param strikesToClose refusals in one second before the session is closed
     */
    RateLimit(int perSecond, long bytesPerMinute, long byteBurst, int strikesToClose, long now) {
        this.messages = new TokenBucket(perSecond, 2.0 * perSecond, now);
        this.bytes = new TokenBucket(bytesPerMinute / MINUTE_IN_SECONDS, byteBurst, now);
        this.strikesToClose = strikesToClose;
        this.strikeWindowStart = now;
    }

    /** Admits one message of this many bytes (0 for one that the byte budget does not count), or not. */
    Verdict take(long now, int size) {
        if (!messages.tryTake(now)) {
            return strike(now, Budget.MESSAGES);
        }
        if (size > 0 && !bytes.tryTake(now, size)) {
            return strike(now, Budget.BYTES);
        }
        return Verdict.PASS;
    }

    private Verdict strike(long now, Budget budget) {
        if (now - strikeWindowStart >= SECOND) {
            strikeWindowStart = now;
            strikes = 0;
        }
        strikes++;
        if (strikes > strikesToClose) {
            return new Verdict(Action.CLOSE, budget);
        }
        return new Verdict(strikes == 1 ? Action.REFUSE_AND_WARN : Action.REFUSE, budget);
    }
}
