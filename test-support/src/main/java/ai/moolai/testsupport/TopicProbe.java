package ai.moolai.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import ai.moolai.protocol.kafka.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * Everything that reaches one topic of the run's broker from the probe's start (it reads the
 * whole topic), to wait for and assert on. A record that is not one of the topic's values (a test
 * may put one there on purpose) is left out, and the probe reads on past it.
 *
 * @param <V> the topic's value type
 */
public final class TopicProbe<V> implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Topic<V> topic;
    private final List<ConsumerRecord<String, V>> records = new CopyOnWriteArrayList<>();
    /** How far the probe has read each partition: past gaps and skipped records too, unlike the offsets of what it kept. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, V> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private TopicProbe(Topic<V> topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.thread = new Thread(this::poll, "probe-" + topic.name());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts reading the topic, from its beginning, once it exists. */
    public static <V> TopicProbe<V> of(Topic<V> topic) {
        return new TopicProbe<>(topic);
    }

    /** The values read under this key so far, in order. */
    public List<V> values(String key) {
        return records.stream().filter(record -> key.equals(record.key())).map(ConsumerRecord::value).toList();
    }

    /** Waits for a value under this key that matches (a tombstone is {@code null}), and returns it. */
    public V await(String key, Predicate<V> matching) {
        List<V> found = new ArrayList<>();
        Awaitility.await().atMost(WAIT).until(() -> {
            for (V value : values(key)) {
                if (matching.test(value)) {
                    found.add(value);
                    return true;
                }
            }
            return false;
        });
        return found.get(0);
    }

    /**
     * The values under this key among everything the topic holds right now: the log end offsets
     * are read first, then the probe catches up with them, so a record written before this call is
     * in the answer.
     */
    public List<V> valuesNow(String key) {
        Map<TopicPartition, Long> end;
        try (var offsets = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            end = offsets.endOffsets(offsets.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList());
        }
        Awaitility.await().atMost(WAIT).until(() -> end.entrySet().stream().allMatch(partition ->
                positions.getOrDefault(partition.getKey(), 0L) >= partition.getValue()));
        return values(key);
    }

    private void poll() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(5)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                try {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                } catch (RecordDeserializationException unreadable) {
                    consumer.seek(unreadable.topicPartition(), unreadable.offset() + 1);
                }
                for (TopicPartition partition : partitions) {
                    positions.put(partition, consumer.position(partition));
                }
            }
        } catch (WakeupException closing) {
            // closed
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
