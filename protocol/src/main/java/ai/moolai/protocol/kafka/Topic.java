package ai.moolai.protocol.kafka;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One topic of the contract: its name, value type and retention. Keys are always the
 * orchestrator id (the target id for the activity log) as a UTF-8 string.
 *
 * @param name      the topic name
 * @param valueType what its values are
 * @param compacted {@code true} for current-state topics (latest value per key), {@code false} for logs
 * @param retention how long a log keeps records; {@code null} for compacted topics
 * @param <V>       the value type
 */
public record Topic<V>(String name, Class<V> valueType, boolean compacted, Duration retention) {

    /** The serde of every key. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /** The serde of the values. */
    public Serde<V> valueSerde() {
        return new JsonSerde<>(valueType);
    }

    /** The topic-level configuration to create it with. */
    public Map<String, String> config() {
        return compacted
                ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }

    /** The dead-letter topic of this topic's consumers. */
    public String deadLetterName() {
        return name + ".dlt";
    }
}
