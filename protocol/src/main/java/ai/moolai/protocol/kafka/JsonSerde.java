package ai.moolai.protocol.kafka;

import ai.moolai.protocol.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * The serde of one topic's values: camelCase JSON through {@link Json#events()}. {@code null}
 * stays {@code null} both ways (tombstones); unreadable bytes raise {@link SerializationException}
 * for the consumer's error handler.
 *
 * @param <V> the value type
 */
public final class JsonSerde<V> implements Serde<V> {

    private final Class<V> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    public JsonSerde(Class<V> type) {
        this.type = type;
        this.reader = Json.events().readerFor(type);
        this.writer = Json.events().writerFor(type);
    }

    @Override
    public Serializer<V> serializer() {
        return (topic, value) -> value == null ? null : writer.writeValueAsBytes(value);
    }

    @Override
    public Deserializer<V> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return reader.readValue(bytes);
            } catch (JacksonException e) {
                throw new SerializationException("not a valid " + type.getSimpleName() + " on " + topic + ": "
                        + e.getOriginalMessage(), e);
            }
        };
    }
}
