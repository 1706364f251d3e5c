package ai.moolai.liveness.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import ai.moolai.liveness.topology.LivenessListener;
import ai.moolai.liveness.topology.LivenessProperties;
import ai.moolai.service.consumer.ConsumerWatch;
import ai.moolai.service.consumer.DeadLetterPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/** What becomes of the Streams client when a stream thread dies. */
class LivenessStreamsTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final LivenessStreams streams = new LivenessStreams(new KafkaProperties(),
            new LivenessProperties(Duration.ofSeconds(30), Duration.ofMinutes(1),
                    Duration.ofMillis(250), 2000, Duration.ofSeconds(5)),
            LivenessListener.NONE, meters, new DeadLetterPublisher(null, meters),
            new ConsumerWatch(meters, Clock.systemUTC(), Duration.ofSeconds(30)), event -> { }, null, 8081);

    @Test
    void replacesAThreadThatFailedOnAnErrorARetryMayCure() {
        var brokerAway = new StreamsException("task failed", new TimeoutException("the broker did not answer"));

        assertThat(streams.threadFailed(brokerAway)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shutsTheClientDownOnAnyOtherError() {
        var bug = new StreamsException("task failed", new NullPointerException("a bug of ours"));

        assertThat(streams.threadFailed(bug)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
