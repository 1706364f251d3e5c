package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.moolai.process.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A supervised process that dies is started again; one the stack stops stays stopped. */
class SupervisedTest {

    @TempDir
    Path directory;

    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger starts = new AtomicInteger();

    @AfterEach
    void stop() {
        restarts.shutdownNow();
    }

    private Supervised sleeper() {
        return new Supervised("sleeper", () -> {
            starts.incrementAndGet();
            return ChildProcess.start("sleeper", List.of("sleep", "600"), Map.of(), directory.resolve("sleeper.log"));
        }, restarts);
    }

    @Test
    void aProcessThatDiesIsStartedAgainAfterItsBackoff() throws Exception {
        Supervised sleeper = sleeper();
        sleeper.start();
        ChildProcess first = sleeper.current();

        Instant died = Instant.now();
        first.process().destroyForcibly();
        ChildProcess second = sleeper.running().get(10, TimeUnit.SECONDS);
        // The future may still be the first start's; wait for the new process itself.
        while (second == first) {
            second = sleeper.running().get(10, TimeUnit.SECONDS);
        }

        assertThat(second.process().pid()).isNotEqualTo(first.process().pid());
        assertThat(second.process().isAlive()).isTrue();
        assertThat(Duration.between(died, Instant.now())).as("the first backoff").isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(starts).hasValue(2);
        sleeper.stop(Duration.ofSeconds(5));
    }

    @Test
    void aCrashHeldDownIsStartedAgainOnlyAfterItsTime() throws Exception {
        Supervised sleeper = sleeper();
        sleeper.start();
        long firstPid = sleeper.current().process().pid();

        Instant crashed = Instant.now();
        sleeper.crash(Duration.ofSeconds(3), () -> { });
        ChildProcess again = sleeper.running().get(20, TimeUnit.SECONDS);

        assertThat(again.process().pid()).isNotEqualTo(firstPid);
        assertThat(Duration.between(crashed, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        sleeper.stop(Duration.ofSeconds(5));
    }

    @Test
    void aProcessTheStackStopsStaysStopped() throws Exception {
        Supervised sleeper = sleeper();
        sleeper.start();
        ChildProcess process = sleeper.current();

        sleeper.stop(Duration.ofSeconds(5));
        process.process().onExit().get(10, TimeUnit.SECONDS);
        restarts.shutdown();
        assertThat(restarts.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

        assertThat(starts).as("not started again").hasValue(1);
    }
}
