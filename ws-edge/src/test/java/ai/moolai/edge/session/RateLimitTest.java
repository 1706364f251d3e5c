package ai.moolai.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ai.moolai.edge.session.RateLimit.Action;
import ai.moolai.edge.session.RateLimit.Budget;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE = 60 * SECOND;
    private static final long PLENTY_OF_BYTES = 1L << 40;

    @Test
    void letsABurstOfTwiceTheRateThroughThenRefuses() {
        RateLimit limit = new RateLimit(20, PLENTY_OF_BYTES, PLENTY_OF_BYTES, 20, 0);
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < 42; i++) {
            actions.add(limit.take(0, 100).action());
        }
        assertThat(actions.subList(0, 40)).containsOnly(Action.PASS);
        assertThat(actions.subList(40, 42)).containsExactly(Action.REFUSE_AND_WARN, Action.REFUSE);
    }

    @Test
    void sustainsTheRateIndefinitely() {
        RateLimit limit = new RateLimit(20, PLENTY_OF_BYTES, PLENTY_OF_BYTES, 20, 0);
        for (long t = 0; t < 60 * SECOND; t += SECOND / 20) {
            assertThat(limit.take(t, 100)).isEqualTo(RateLimit.Verdict.PASS);
        }
    }

    @Test
    void closesAfterTooManyRefusalsInOneSecond() {
        RateLimit limit = new RateLimit(20, PLENTY_OF_BYTES, PLENTY_OF_BYTES, 5, 0);
        for (int i = 0; i < 40; i++) {
            limit.take(0, 0);
        }
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            actions.add(limit.take(0, 0).action());
        }
        assertThat(actions).containsExactly(Action.REFUSE_AND_WARN, Action.REFUSE,
                Action.REFUSE, Action.REFUSE, Action.REFUSE, Action.CLOSE);
    }

    @Test
    void forgivesRefusalsOfAnEarlierSecond() {
        RateLimit limit = new RateLimit(20, PLENTY_OF_BYTES, PLENTY_OF_BYTES, 5, 0);
        for (int i = 0; i < 45; i++) {
            limit.take(0, 0);
        }
        long nextSecond = SECOND + SECOND / 100;
        int passed = 0;
        RateLimit.Verdict verdict;
        while ((verdict = limit.take(nextSecond, 0)) == RateLimit.Verdict.PASS) {
            passed++;
        }
        assertThat(passed).isEqualTo(20);
        assertThat(verdict.action()).as("a new second: warned again, not closed").isEqualTo(Action.REFUSE_AND_WARN);
        assertThat(verdict.refusedBy()).isEqualTo(Budget.MESSAGES);
    }

    @Test
    void refusesBytesOverTheBurstAndNamesTheByteBudget() {
        RateLimit limit = new RateLimit(1000, 60_000, 4_000, 20, 0);
        for (int i = 0; i < 4; i++) {
            assertThat(limit.take(0, 1_000)).isEqualTo(RateLimit.Verdict.PASS);
        }
        assertThat(limit.take(0, 1_000)).isEqualTo(new RateLimit.Verdict(Action.REFUSE_AND_WARN, Budget.BYTES));
        assertThat(limit.take(0, 1)).as("a refused frame takes no bytes, so none are left for this one either")
                .isEqualTo(new RateLimit.Verdict(Action.REFUSE, Budget.BYTES));
    }

    @Test
    void sustainsTheBytesPerMinuteIndefinitely() {
        RateLimit limit = new RateLimit(1000, 60_000, 4_000, 20, 0);
        for (long t = 0; t < 10 * MINUTE; t += SECOND) {
            assertThat(limit.take(t, 1_000)).as("1,000 bytes a second is 60,000 a minute").isEqualTo(RateLimit.Verdict.PASS);
        }
    }

    @Test
    void refusesBytesSentFasterThanThePerMinuteRateOnceTheBurstIsSpent() {
        RateLimit limit = new RateLimit(1000, 60_000, 4_000, 20, 0);
        long t = 0;
        while (limit.take(t, 2_000) == RateLimit.Verdict.PASS) {
            t += SECOND;
        }
        assertThat(t).as("2,000 bytes a second against 1,000 refilled: the burst of 4,000 lasts three seconds")
                .isEqualTo(3 * SECOND);
    }

    @Test
    void closesAfterTooManyRefusalsForBytesInOneSecond() {
        RateLimit limit = new RateLimit(1000, 60_000, 4_000, 3, 0);
        limit.take(0, 4_000);
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            actions.add(limit.take(0, 2_000).action());
        }
        assertThat(actions).containsExactly(Action.REFUSE_AND_WARN, Action.REFUSE, Action.REFUSE, Action.CLOSE);
    }

    @Test
    void countsNothingAgainstTheBytesForAMessageOfNoCountedSize() {
        RateLimit limit = new RateLimit(1000, 60_000, 4_000, 20, 0);
        limit.take(0, 4_000);
        assertThat(limit.take(0, 0)).isEqualTo(RateLimit.Verdict.PASS);
    }
}
