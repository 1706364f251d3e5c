package ai.moolai.liveness.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

import ai.moolai.service.consumer.DeadLetter;
import ai.moolai.service.consumer.UnreadableRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The topology's deserialization and processing exception handlers: a record that breaks its
 * topic's contract (bytes its serde cannot read, or an {@link UnreadableRecord} from the processor)
 * goes, unchanged, to its topic's dead-letter topic, and the next record is processed. Any other
 * error is ours, not the record's, and fails the stream thread rather than being hidden.
 *
 * <p>Kafka Streams creates the handlers from its configuration, hence public; what they dead-letter
 * through is in the configuration too, under {@link #DEAD_LETTERS}. The dead letter is published
 * before the handler returns, so the record's offset is committed only once it is on the
 * dead-letter topic; when that fails, the error fails the thread and the record is read again.
 */
public final class UnreadableRecords implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /** The configuration key of the {@code Consumer<DeadLetter>} that publishes dead letters. */
    public static final String DEAD_LETTERS = "mooli.liveness.dead-letters";

    private Consumer<DeadLetter> deadLetters;

    /** Created by Kafka Streams, then {@linkplain #configure configured}. */
    public UnreadableRecords() {
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(DEAD_LETTERS) instanceof Consumer<?> publisher)) {
            throw new ConfigException(DEAD_LETTERS, configs.get(DEAD_LETTERS), "a Consumer<DeadLetter> is required");
        }
        deadLetters = (Consumer<DeadLetter>) publisher;
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        if (!(exception instanceof SerializationException)) {
            return DeserializationHandlerResponse.FAIL;
        }
        deadLetters.accept(new DeadLetter(record.topic(), record.partition(), record.offset(), text(record.key()),
                record.value(), copy(record.headers()), reason(record.topic(), exception), "unreadable"));
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        // No topic: the error came from a punctuation, not from a record.
        if (!(exception instanceof UnreadableRecord) || context.topic() == null) {
            return ProcessingHandlerResponse.FAIL;
        }
        deadLetters.accept(new DeadLetter(context.topic(), context.partition(), context.offset(),
                text(context.sourceRawKey()), context.sourceRawValue(), copy(context.headers()),
                reason(context.topic(), exception), "unreadable"));
        return ProcessingHandlerResponse.CONTINUE;
    }

    private static String reason(String topic, Exception exception) {
        return "unreadable " + topic + " record: " + exception.getMessage();
    }

    private static String text(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** The dead letter's own headers: the record's are not to be changed while Streams still holds it. */
    private static Headers copy(Headers headers) {
        return new RecordHeaders(headers.toArray());
    }
}
