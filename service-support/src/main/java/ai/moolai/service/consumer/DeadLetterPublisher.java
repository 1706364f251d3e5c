package ai.moolai.service.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.service.logging.LogFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.support.SendResult;

/**
 * The one way any consumer of the system dead-letters a record: unchanged (key, value, headers)
 * to {@code <topic>.dlt}, with where it came from and why in {@link DeadLetters}' headers, and
 * only once the broker has it. Each is logged once at WARN and counted in
 * {@code mooli.dead_lettered{topic}}.
 */
public final class DeadLetterPublisher {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final KafkaOperations<String, byte[]> kafka;
    private final MeterRegistry meters;

    public DeadLetterPublisher(KafkaOperations<String, byte[]> kafka, MeterRegistry meters) {
        this.kafka = kafka;
        this.meters = meters;
    }

    /**
     * Publishes these dead letters and returns once the broker has every one; throws when it does
     * not within 30 s, so the caller retries rather than commits past them.
     */
    public void publish(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        List<CompletableFuture<SendResult<String, byte[]>>> sent = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            var record = new ProducerRecord<>(letter.topic() + ".dlt", null, letter.key(), letter.value(), letter.headers());
            DeadLetters.describe(record.headers(), letter.errorType(), letter.reason(), letter.topic(), letter.partition(),
                    letter.offset());
            sent.add(kafka.send(record));
        }
        try {
            for (var future : sent) {
                future.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DeadLetterNotPublished(e instanceof ExecutionException ? e.getCause() : e);
        }
        for (DeadLetter letter : letters) {
            // The orchestrator.* topics are keyed by orchestrator: the line names it as a field too.
            try (var ignored = letter.topic().startsWith("orchestrator.") && letter.key() != null
                    ? MDC.putCloseable(LogFields.ORCHESTRATOR_ID, letter.key()) : null) {
                log.warn("dead-lettered {}-{}@{} key={}: {}", letter.topic(), letter.partition(), letter.offset(),
                        letter.key(), letter.reason());
            }
            counter(letter.topic()).increment();
        }
    }

    /** Publishes one dead letter; see {@link #publish(List)}. */
    public void publish(DeadLetter letter) {
        publish(List.of(letter));
    }

    /** Records dead-lettered from this topic so far, by this process. */
    public double count(String topic) {
        return counter(topic).count();
    }

    private Counter counter(String topic) {
        return Counter.builder("mooli.dead_lettered").tag("topic", topic)
                .description("records sent to the topic's dead-letter topic").register(meters);
    }

    /** The broker did not take a dead letter: an availability error, retried with the batch. */
    static final class DeadLetterNotPublished extends org.apache.kafka.common.errors.RetriableException {
        DeadLetterNotPublished(Throwable cause) {
            super("the dead-letter topic did not take a record: " + cause, cause);
        }
    }
}
