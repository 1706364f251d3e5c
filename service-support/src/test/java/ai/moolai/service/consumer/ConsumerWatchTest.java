package ai.moolai.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import ai.moolai.testsupport.HandClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** A consumer's progress as its health and gauge tell it, the clock moved by hand. */
class ConsumerWatchTest {

    private final HandClock clock = new HandClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConsumerWatch watch = new ConsumerWatch(meters, clock, Duration.ofSeconds(30));

    @Test
    void isOutOfServiceOnlyOnceRecordsHaveWaitedLongerThanTheStallLimit() {
        ConsumerProgress progress = watch.progress("ingest");
        progress.started(clock.instant().minusSeconds(90).toEpochMilli());
        clock.advance(Duration.ofSeconds(30));
        assertThat(watch.health().getStatus()).isEqualTo(Status.UP);
        assertThat(gauge("ingest")).isEqualTo(120.0);

        clock.advance(Duration.ofSeconds(1));
        progress.started(clock.instant().minusSeconds(200).toEpochMilli());
        assertThat(watch.health().getStatus()).as("a retry of the same work keeps its start").isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(watch.health().getDetails().get("ingest").toString()).contains("no progress for 31 s");
        assertThat(gauge("ingest")).isEqualTo(200.0);

        progress.finished(5);
        assertThat(watch.health().getStatus()).isEqualTo(Status.UP);
        assertThat(gauge("ingest")).isZero();
        assertThat(progress.done()).isEqualTo(5);
    }

    @Test
    void oneThreadFinishingItsBatchesDoesNotHideAnotherThreadStuckOnItsOwn() throws Exception {
        ConsumerProgress progress = watch.progress("two-threads");
        Thread stuck = new Thread(() -> progress.started(clock.instant().minusSeconds(5).toEpochMilli()));
        stuck.start();
        stuck.join();
        clock.advance(Duration.ofSeconds(40));
        progress.started(clock.instant().toEpochMilli());
        progress.finished(10);

        assertThat(watch.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(gauge("two-threads")).isEqualTo(45.0);
        assertThat(progress.done()).isEqualTo(10);
    }

    @Test
    void countsARecordWithoutATimeFromWhenItWasHandedOver() {
        ConsumerProgress progress = watch.progress("follower");
        progress.started(-1);
        clock.advance(Duration.ofSeconds(7));
        assertThat(progress.oldestUnprocessedAge()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void isDownWithTheReasonOnceAConsumerHasDied() {
        watch.progress("healthy");
        watch.progress("dead").failed("stopped: ABNORMAL");
        assertThat(watch.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(watch.health().getDetails()).containsEntry("dead", "dead: stopped: ABNORMAL").containsEntry("healthy", "idle");
    }

    private double gauge(String consumer) {
        return meters.get("mooli.consumer.oldest_unprocessed_age").tag("consumer", consumer).timeGauge()
                .value(TimeUnit.SECONDS);
    }
}
