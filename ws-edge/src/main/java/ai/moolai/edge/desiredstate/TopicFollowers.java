package ai.moolai.edge.desiredstate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import ai.moolai.protocol.kafka.Topic;
import ai.moolai.service.consumer.ConsumerWatch;
import ai.moolai.service.consumer.RecordReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts the edge's {@link TopicFollower}s, each watched as a consumer (the {@code consumers}
 * health, the age of its oldest unprocessed record, {@code edge.records.unreadable}) and each
 * vital: the edge authenticates and deduplicates sessions by what they read, so once one dies the
 * edge declares itself broken (liveness) and refusing traffic (readiness).
 */
@Component
public class TopicFollowers {

    private final KafkaProperties kafka;
    private final ConsumerWatch consumers;
    private final MeterRegistry meters;
    private final ApplicationEventPublisher events;
    private final List<TopicFollower<?>> started = new CopyOnWriteArrayList<>();

    TopicFollowers(KafkaProperties kafka, ConsumerWatch consumers, MeterRegistry meters, ApplicationEventPublisher events) {
        this.kafka = kafka;
        this.consumers = consumers;
        this.meters = meters;
        this.events = events;
    }

    /**
     * Starts following a topic.
     *
     * @param consumer      the follower's name in the consumers' health and metrics
     * @param reader        reads one record, or refuses it as unreadable
     * @param fromBeginning read the whole topic ({@code true}) or only what arrives after start
     * @param handler       called for every record, on the follower's thread, in offset order per partition
     */
    public <V> TopicFollower<V> follow(String consumer, Topic<V> topic, RecordReader<V> reader, boolean fromBeginning,
                                       Consumer<Followed<V>> handler) {
        Counter unreadable = Counter.builder("edge.records.unreadable").tag("topic", topic.name())
                .description("records an edge could not read; it does not dead-letter them, liveness-stream does")
                .register(meters);
        TopicFollower<V> follower = new TopicFollower<>(topic, kafka.buildConsumerProperties(), fromBeginning, reader,
                consumers.progress(consumer), unreadable, handler, this::died);
        started.add(follower);
        follower.start();
        return follower;
    }

    private void died() {
        AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
    }

    /**
     * Spring Boot declares the application live once it has started, which may be after a follower
     * died while reading the topic at start; that death must still count. (Readiness needs no such
     * care: its group also holds the {@code consumers} health, which remembers the death.)
     */
    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        if (started.stream().anyMatch(TopicFollower::hasDied)) {
            AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
        }
    }
}
