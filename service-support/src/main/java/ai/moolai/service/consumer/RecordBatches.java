package ai.moolai.service.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import ai.moolai.protocol.kafka.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The one way a batch listener of the system takes a batch of one contract topic. Records that
 * cannot be read go to the topic's dead-letter topic. The readable are handed to the store in one
 * call; when it refuses them with an error a retry cannot cure, the batch is split in halves, and
 * the halves again, until each refused record stands alone and is dead-lettered with the store's
 * reason, while every other record is stored. An error a retry may cure (the database or the
 * broker away) propagates, so the container retries the whole batch without committing; stores
 * must therefore be idempotent. The call returns once every record is stored or on its
 * dead-letter topic, so the offsets that follow move past all of them.
 */
public final class RecordBatches {

    private final DeadLetterPublisher deadLetters;
    private final ConsumerWatch watch;

    public RecordBatches(DeadLetterPublisher deadLetters, ConsumerWatch watch) {
        this.deadLetters = deadLetters;
        this.watch = watch;
    }

    /**
     * @param consumer the listener's id, naming its progress
     * @param topic    the topic the records come from
     * @param records  the batch, as the container delivered it
     * @param reader   reads one record (its value, or what the listener makes of it with its headers),
     *                 or refuses it as unreadable
     * @param store    stores readable values, all or none (one transaction)
     */
    public <V> void handle(String consumer, Topic<?> topic, List<ConsumerRecord<String, byte[]>> records,
                           RecordReader<V> reader, Consumer<List<V>> store) {
        if (records.isEmpty()) {
            return;
        }
        ConsumerProgress progress = watch.progress(consumer);
        progress.started(records.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow());
        List<DeadLetter> refused = new ArrayList<>();
        List<Read<V>> readable = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                V value = reader.read(record);
                if (value != null) {
                    readable.add(new Read<>(record, value));
                }
            } catch (UnreadableRecord unreadable) {
                refused.add(DeadLetter.of(record, "unreadable " + topic.name() + " record: " + unreadable.getMessage(),
                        "unreadable"));
            } catch (RuntimeException readerFailed) {
                // Reading concerns this record alone: whatever went wrong, it is this record's to carry.
                refused.add(DeadLetter.of(record, "unreadable " + topic.name() + " record: "
                        + Failures.describe(readerFailed), readerFailed.getClass().getName()));
            }
        }
        store(readable, store, refused);
        deadLetters.publish(refused);
        progress.finished(records.size());
    }

    private static <V> void store(List<Read<V>> batch, Consumer<List<V>> store, List<DeadLetter> refused) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.accept(batch.stream().map(Read::value).toList());
        } catch (RuntimeException error) {
            if (Failures.isAvailability(error)) {
                throw error;
            }
            if (batch.size() == 1) {
                refused.add(DeadLetter.of(batch.get(0).record(), "refused by the store: " + Failures.describe(error),
                        error.getClass().getName()));
                return;
            }
            int half = batch.size() / 2;
            store(batch.subList(0, half), store, refused);
            store(batch.subList(half, batch.size()), store, refused);
        }
    }

    private record Read<V>(ConsumerRecord<String, byte[]> record, V value) {
    }
}
