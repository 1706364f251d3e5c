package ai.moolai.service.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record on its way to its topic's dead-letter topic: where it was, what it held, and why it
 * could not be processed.
 *
 * @param topic     the topic it was read from
 * @param partition its partition there
 * @param offset    its offset there
 * @param key       its key (the orchestrator id), as text
 * @param value     its value, unchanged
 * @param headers   its headers, unchanged
 * @param reason    why it was refused, for humans
 * @param errorType what refused it: {@code unreadable} (the contract) or the refusing error's class
 */
public record DeadLetter(String topic, int partition, long offset, String key, byte[] value, Headers headers,
                         String reason, String errorType) {

    /** A record read by a listener, refused for this reason. */
    public static DeadLetter of(ConsumerRecord<String, byte[]> record, String reason, String errorType) {
        return new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                new RecordHeaders(record.headers().toArray()), reason, errorType);
    }
}
