package ai.moolai.devstack;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record as it lies on a dead-letter topic, read back: where it lies, where it came from, why it
 * was refused, and what it held, with its own headers apart from the {@link DeadLetters} ones.
 *
 * @param topic           the dead-letter topic
 * @param at              where it lies there
 * @param timestamp       its timestamp there
 * @param originalTopic   the topic it was refused on (its header; else the dead-letter topic's source)
 * @param original        where it lay on that topic; {@code null} when the headers do not say
 * @param key             its key (the orchestrator id), unchanged
 * @param value           its value, unchanged
 * @param originalHeaders its headers without the {@code kafka_dlt-*} ones
 * @param refusedBy       what refused it: {@code unreadable} or an error's class; {@code null} when unsaid
 * @param reason          why, for humans; {@code null} when unsaid
 */
record DeadLetterRecord(String topic, Position at, Instant timestamp, String originalTopic, Position original,
                        byte[] key, byte[] value, Headers originalHeaders, String refusedBy, String reason) {

    /** Spring Kafka's prefix of every dead-letter header, {@link DeadLetters}' and the ones it adds (stack trace, …). */
    static final String HEADER_PREFIX = "kafka_dlt-";

    /**
     * A position in a topic, written {@code partition@offset}.
     *
     * @param partition the partition
     * @param offset    the offset in it
     */
    record Position(int partition, long offset) {

        /** Reads {@code partition@offset}, e.g. {@code 0@42}. */
        static Position parse(String text) {
            int at = text.indexOf('@');
            try {
                return new Position(Integer.parseInt(text.substring(0, at)), Long.parseLong(text.substring(at + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a partition@offset: " + text);
            }
        }

        @Override
        public String toString() {
            return partition + "@" + offset;
        }
    }

    /** Reads a record of the dead-letter topic of {@code source}. */
    static DeadLetterRecord of(ConsumerRecord<byte[], byte[]> record, Topic<?> source) {
        Headers headers = record.headers();
        Header partition = sized(headers, DeadLetters.ORIGINAL_PARTITION, Integer.BYTES);
        Header offset = sized(headers, DeadLetters.ORIGINAL_OFFSET, Long.BYTES);
        Position original = partition == null || offset == null ? null
                : new Position(ByteBuffer.wrap(partition.value()).getInt(), ByteBuffer.wrap(offset.value()).getLong());
        String originalTopic = text(headers, DeadLetters.ORIGINAL_TOPIC);
        RecordHeaders own = new RecordHeaders();
        for (Header header : headers) {
            if (!header.key().startsWith(HEADER_PREFIX)) {
                own.add(header);
            }
        }
        return new DeadLetterRecord(record.topic(), new Position(record.partition(), record.offset()),
                Instant.ofEpochMilli(record.timestamp()), originalTopic == null ? source.name() : originalTopic,
                original,
                record.key(), record.value(), own,
                text(headers, DeadLetters.EXCEPTION_CLASS), text(headers, DeadLetters.EXCEPTION_MESSAGE));
    }

    /** The key as text (orchestrator ids are UTF-8); {@code null} for a record without one. */
    String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** The record to replay: key, value and its own headers, unchanged, to the topic it was refused on. */
    ProducerRecord<byte[], byte[]> replay() {
        return new ProducerRecord<>(originalTopic, null, key, value, new RecordHeaders(originalHeaders.toArray()));
    }

    /** The header when it holds exactly {@code length} bytes (a big-endian int or long); else {@code null}. */
    private static Header sized(Headers headers, String name, int length) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null || header.value().length != length ? null : header;
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
