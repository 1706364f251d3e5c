package ai.moolai.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class UpgradesPerAddressTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void letsABurstThroughThenTheSustainedRate() {
        UpgradesPerAddress upgrades = new UpgradesPerAddress(20, 100, 10);
        assertThat(IntStream.range(0, 100).allMatch(i -> upgrades.tryTake("10.0.0.1", 0))).isTrue();
        assertThat(upgrades.tryTake("10.0.0.1", 0)).isFalse();

        assertThat(IntStream.range(0, 20).allMatch(i -> upgrades.tryTake("10.0.0.1", SECOND))).isTrue();
        assertThat(upgrades.tryTake("10.0.0.1", SECOND)).isFalse();
    }

    @Test
    void keepsEachAddressesBudgetApart() {
        UpgradesPerAddress upgrades = new UpgradesPerAddress(1, 2, 10);
        upgrades.tryTake("10.0.0.1", 0);
        upgrades.tryTake("10.0.0.1", 0);

        assertThat(upgrades.tryTake("10.0.0.1", 0)).isFalse();
        assertThat(upgrades.tryTake("10.0.0.2", 0)).isTrue();
    }

    @Test
    void remembersNoMoreThanItsBoundForgettingTheLeastRecentlySeen() {
        UpgradesPerAddress upgrades = new UpgradesPerAddress(1, 1, 3);
        upgrades.tryTake("10.0.0.1", 0);
        upgrades.tryTake("10.0.0.2", 0);
        for (int i = 0; i < 1000; i++) {
            upgrades.tryTake("10.0.0.1", 0);
            upgrades.tryTake("10.1." + i / 256 + "." + i % 256, 0);
        }

        assertThat(upgrades.remembered()).isEqualTo(3);
        assertThat(upgrades.tryTake("10.0.0.1", 0)).as("seen all along: still over budget").isFalse();
        assertThat(upgrades.tryTake("10.0.0.2", 0)).as("forgotten: a full burst again").isTrue();
    }
}
