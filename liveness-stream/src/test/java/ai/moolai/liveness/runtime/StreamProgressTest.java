package ai.moolai.liveness.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import ai.moolai.service.consumer.ConsumerProgress;
import ai.moolai.service.consumer.ConsumerWatch;
import ai.moolai.testsupport.HandClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** The Streams client's progress as the consumers' health and gauge see it, on a clock moved by hand. */
class StreamProgressTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration REPORT = Duration.ofMillis(500);

    final HandClock clock = new HandClock(T0);
    final ConsumerWatch consumers = new ConsumerWatch(new SimpleMeterRegistry(), clock, Duration.ofSeconds(30));
    final ConsumerProgress progress = consumers.progress(LivenessStreams.CONSUMER);
    final StreamProgress streamProgress = new StreamProgress(progress, clock);

    /** Reports every half second for {@code duration}, processing {@code perReport} records before each. */
    void run(Duration duration, int perReport, boolean recordsWaiting) {
        for (Duration elapsed = Duration.ZERO; elapsed.compareTo(duration) < 0; elapsed = elapsed.plus(REPORT)) {
            for (int i = 0; i < perReport; i++) {
                streamProgress.processing(clock.millis() - 2_000);
                streamProgress.processed();
            }
            streamProgress.report(recordsWaiting);
            clock.advance(REPORT);
        }
    }

    @Test
    void recordsWaitingWithNoneProcessedForThirtySecondsIsAStall() {
        run(Duration.ofSeconds(29), 0, true);
        assertThat(consumers.health().getStatus()).isEqualTo(Status.UP);

        run(Duration.ofSeconds(2), 0, true);

        assertThat(consumers.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(consumers.health().getDetails().get(LivenessStreams.CONSUMER).toString())
                .startsWith("no progress for 31 s with records waiting");
    }

    @Test
    void aBacklogThatIsBeingWorkedOffIsNoStall() {
        run(Duration.ofMinutes(2), 1_000, true);

        assertThat(consumers.health().getStatus()).isEqualTo(Status.UP);
        assertThat(progress.done()).isEqualTo(240_000);
    }

    @Test
    void aRecordStuckInProcessIsAStallEvenWithNothingWaitingInTheTopics() {
        streamProgress.processing(T0.toEpochMilli());

        run(Duration.ofSeconds(31), 0, false);

        assertThat(consumers.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(progress.oldestUnprocessedAge()).isEqualTo(Duration.ofSeconds(31));
    }

    @Test
    void recordsArrivingAfterAQuietSpellAgeFromItsEndUntilProcessed() {
        run(Duration.ofSeconds(10), 0, false);

        streamProgress.report(true);
        assertThat(progress.oldestUnprocessedAge()).as("they came after the last report that found none")
                .isEqualTo(Duration.ofMillis(500));

        clock.advance(Duration.ofSeconds(3));
        streamProgress.report(true);
        assertThat(progress.oldestUnprocessedAge()).isEqualTo(Duration.ofMillis(3_500));

        streamProgress.processing(clock.millis() - 1_000);
        streamProgress.processed();
        streamProgress.report(false);
        assertThat(progress.oldestUnprocessedAge()).isZero();
    }

    @Test
    void theGaugeFollowsTheLatestRecordProcessedThroughALongBacklog() {
        run(Duration.ofSeconds(10), 1, true);

        assertThat(progress.oldestUnprocessedAge()).isEqualTo(Duration.ofMillis(2_500));
    }
}
