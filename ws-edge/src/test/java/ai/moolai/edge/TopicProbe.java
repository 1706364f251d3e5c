package ai.moolai.edge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import ai.moolai.edge.desiredstate.TopicFollower;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.testsupport.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/** Everything that reaches one topic of the real broker while a test runs, to wait for and assert on. */
final class TopicProbe<V> implements AutoCloseable {

    private final List<ConsumerRecord<String, V>> records = new CopyOnWriteArrayList<>();
    private final Topic<V> topic;
    private final TopicFollower<V> follower;

    private TopicProbe(Topic<V> topic) throws InterruptedException {
        this.topic = topic;
        follower = new TopicFollower<>(topic, Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                true, records::add);
        follower.start();
        follower.awaitCaughtUp(Duration.ofSeconds(30));
    }

    static <V> TopicProbe<V> of(Topic<V> topic) throws InterruptedException {
        return new TopicProbe<>(topic);
    }

    /** The values published under this key, so far. */
    List<V> values(String key) {
        return records.stream().filter(record -> key.equals(record.key())).map(ConsumerRecord::value).toList();
    }

    /**
     * The values under this key among everything the topic holds right now: the log end offsets
     * are read first, then the probe catches up with them. A record written before this call is
     * in the answer.
     */
    List<V> valuesNow(String key) {
        Map<TopicPartition, Long> end;
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            end = consumer.endOffsets(consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList());
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> end.entrySet().stream().allMatch(partition ->
                partition.getValue() == 0 || records.stream().anyMatch(record -> record.partition() == partition.getKey().partition()
                        && record.offset() >= partition.getValue() - 1)));
        return values(key);
    }

    /** Waits for a value under this key that matches, and returns it. */
    V await(String key, Predicate<V> matching) {
        return Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> values(key).stream().filter(matching).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    @Override
    public void close() throws InterruptedException {
        follower.close();
    }
}
