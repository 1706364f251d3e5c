package ai.moolai.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RateLimitTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void letsABurstOfTwiceTheRateThroughThenRefuses() {
        RateLimit limit = new RateLimit(20, 20, 0);
        List<RateLimit.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 42; i++) {
            verdicts.add(limit.take(0));
        }
        assertThat(verdicts.subList(0, 40)).containsOnly(RateLimit.Verdict.PASS);
        assertThat(verdicts.subList(40, 42)).containsExactly(RateLimit.Verdict.REFUSE_AND_WARN, RateLimit.Verdict.REFUSE);
    }

    @Test
    void sustainsTheRateIndefinitely() {
        RateLimit limit = new RateLimit(20, 20, 0);
        for (long t = 0; t < 60 * SECOND; t += SECOND / 20) {
            assertThat(limit.take(t)).isEqualTo(RateLimit.Verdict.PASS);
        }
    }

    @Test
    void closesAfterTooManyRefusalsInOneSecond() {
        RateLimit limit = new RateLimit(20, 5, 0);
        for (int i = 0; i < 40; i++) {
            limit.take(0);
        }
        List<RateLimit.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            verdicts.add(limit.take(0));
        }
        assertThat(verdicts).containsExactly(RateLimit.Verdict.REFUSE_AND_WARN, RateLimit.Verdict.REFUSE,
                RateLimit.Verdict.REFUSE, RateLimit.Verdict.REFUSE, RateLimit.Verdict.REFUSE, RateLimit.Verdict.CLOSE);
    }

    @Test
    void forgivesRefusalsOfAnEarlierSecond() {
        RateLimit limit = new RateLimit(20, 5, 0);
        for (int i = 0; i < 45; i++) {
            limit.take(0);
        }
        long nextSecond = SECOND + SECOND / 100;
        int passed = 0;
        RateLimit.Verdict verdict;
        while ((verdict = limit.take(nextSecond)) == RateLimit.Verdict.PASS) {
            passed++;
        }
        assertThat(passed).isEqualTo(20);
        assertThat(verdict).as("a new second: warned again, not closed").isEqualTo(RateLimit.Verdict.REFUSE_AND_WARN);
    }
}
