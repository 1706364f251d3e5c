package ai.moolai.service.consumer;

import ai.moolai.protocol.kafka.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads one raw record of a topic into its value.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface RecordReader<V> {

    /**
     * The record's value; {@code null} when there is nothing to store (a tombstone where the
     * topic has them).
     *
     * @throws UnreadableRecord when the record breaks the topic's contract
     */
    V read(ConsumerRecord<String, byte[]> record);

    /**
     * Reads with the topic's serde. A tombstone (or a JSON {@code null}) is {@code null} on a
     * compacted topic, where it means "no longer there", and unreadable on any other.
     */
    static <V> RecordReader<V> of(Topic<V> topic) {
        var deserializer = topic.valueSerde().deserializer();
        return record -> {
            V value;
            try {
                value = deserializer.deserialize(record.topic(), record.value());
            } catch (SerializationException unreadable) {
                throw new UnreadableRecord(unreadable.getMessage(), unreadable);
            }
            if (value == null && !topic.compacted()) {
                throw new UnreadableRecord("a record without a value on a topic that has no tombstones");
            }
            return value;
        };
    }
}
