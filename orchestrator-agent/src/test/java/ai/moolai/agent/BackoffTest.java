package ai.moolai.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void drawsFromADoublingCappedCeilingAndResets() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        long[] ceilings = new long[6];
        for (int i = 0; i < ceilings.length; i++) {
            ceilings[i] = backoff.ceiling().toMillis();
            assertThat(backoff.next()).isBetween(Duration.ZERO, Duration.ofMillis(ceilings[i]));
        }
        assertThat(ceilings).containsExactly(100, 200, 400, 800, 1000, 1000);

        backoff.reset();
        assertThat(backoff.ceiling()).isEqualTo(Duration.ofMillis(100));
    }
}
