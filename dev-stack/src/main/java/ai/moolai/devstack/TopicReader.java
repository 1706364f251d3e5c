package ai.moolai.devstack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads whole topics as raw bytes, as they stand when asked: no consumer group, so nothing is
 * committed and no running consumer is disturbed, and only up to the end offsets taken before the
 * first record is read, so a topic that grows while it is read (a replay that fails again) still ends.
 */
final class TopicReader implements AutoCloseable {

    /** How long a read may go without progress before the broker is taken to be gone. */
    static final Duration STALL = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;

    TopicReader(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "dev-stack-dlt",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Asking about a topic must not create it on a broker that allows that.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The topic's partitions; empty when the broker has no such topic. */
    List<TopicPartition> partitions(String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    /** How many records the topic holds: end minus beginning offsets, summed over its partitions. */
    long count(String topic) {
        List<TopicPartition> partitions = partitions(topic);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        return partitions.stream().mapToLong(partition -> end.get(partition) - beginning.get(partition)).sum();
    }

    /** Every record the topic holds now, by partition then offset. */
    List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        List<TopicPartition> partitions = partitions(topic);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Set<TopicPartition> unread = new HashSet<>(partitions);
        Instant stalledAt = Instant.now().plus(STALL);
        try {
            while (true) {
                unread.removeIf(partition -> consumer.position(partition) >= end.get(partition));
                if (unread.isEmpty()) {
                    break;
                }
                if (Instant.now().isAfter(stalledAt)) {
                    throw new IllegalStateException("reading " + topic + " made no progress for " + STALL.toSeconds()
                            + " s; partitions left: " + unread);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                        stalledAt = Instant.now().plus(STALL);
                    }
                }
            }
        } finally {
            consumer.unsubscribe();
        }
        records.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
