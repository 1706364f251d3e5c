package ai.moolai.service.consumer;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;

/**
 * A listener that reads a topic again from its beginning when the topic is replaced under it.
 * <p>
 * A replaced topic (an empty broker in place of the lost one, the topic deleted and created again)
 * starts again at offset 0, but a consumer goes on from the position it had in the old one. Past the
 * new topic's end it starts again from the beginning, as it should. Within the new topic's records,
 * or where the broker answers that the log was truncated there, it skips what lies before, and
 * commits that position for its group. So {@link ReplacedTopicWatch} seeks every listener that
 * extends this class back to the beginning of such a topic once it sees the topic's id change; a
 * listener stores idempotently, so what it reads twice is stored once.
 */
public abstract class ReplayingListener extends AbstractConsumerSeekAware {

    /** The topics of the partitions this listener is assigned now. */
    Set<String> topics() {
        return getTopicsAndCallbacks().keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
    }

    /** Seeks this listener's partitions of {@code topic} to their beginning, at each consumer's next poll. */
    void replay(String topic) {
        getTopicsAndCallbacks().forEach((partition, callbacks) -> {
            if (partition.topic().equals(topic)) {
                List.copyOf(callbacks).forEach(callback -> callback.seekToBeginning(List.of(partition)));
            }
        });
    }
}
