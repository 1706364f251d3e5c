package ai.moolai.protocol.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;

/**
 * The headers a record carries on a dead-letter topic: Spring Kafka's names and encodings (text
 * for the exception, a big-endian int and long for partition and offset), so records
 * dead-lettered by a listener container and by a Streams topology read the same.
 */
public final class DeadLetters {

    public static final String EXCEPTION_CLASS = "kafka_dlt-exception-fqcn";
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";

    private DeadLetters() {
    }

    /** Adds why and where from to a record's headers. */
    public static Headers describe(Headers headers, Exception error, String topic, int partition, long offset) {
        return describe(headers, error.getClass().getName(), String.valueOf(error.getMessage()), topic, partition, offset);
    }

    /** Adds why ({@code errorType} and {@code reason}) and where from to a record's headers. */
    public static Headers describe(Headers headers, String errorType, String reason, String topic, int partition,
                                   long offset) {
        headers.remove(EXCEPTION_CLASS).add(EXCEPTION_CLASS, bytes(errorType));
        headers.remove(EXCEPTION_MESSAGE).add(EXCEPTION_MESSAGE, bytes(reason));
        headers.remove(ORIGINAL_TOPIC).add(ORIGINAL_TOPIC, bytes(topic));
        headers.remove(ORIGINAL_PARTITION).add(ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(partition).array());
        headers.remove(ORIGINAL_OFFSET).add(ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(offset).array());
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
