package ai.moolai.edge.desiredstate;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import ai.moolai.protocol.kafka.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic on a thread of its own, without a consumer group: each edge
 * sees every record. Starting from the beginning, it knows when it has caught up with what the
 * topic held when it started. A record it cannot read is logged, counted and skipped.
 *
 * @param <V> the topic's value type
 */
public final class TopicFollower<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    private final Topic<V> topic;
    private final KafkaConsumer<String, V> consumer;
    private final boolean fromBeginning;
    private final Consumer<ConsumerRecord<String, V>> handler;
    private volatile boolean caughtUp;
    private final Thread thread;
    private volatile long unreadable;
    private volatile boolean running = true;

    /**
     * @param topic         the topic to follow
     * @param consumerProps consumer configuration (bootstrap servers and the like); group settings are ignored
     * @param fromBeginning read the whole topic ({@code true}) or only what arrives after start
     * @param handler       called for every record, on the follower's thread, in offset order per partition
     */
    public TopicFollower(Topic<V> topic, Map<String, Object> consumerProps, boolean fromBeginning,
                         Consumer<ConsumerRecord<String, V>> handler) {
        Map<String, Object> props = new HashMap<>(consumerProps);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.fromBeginning = fromBeginning;
        this.handler = handler;
        this.thread = new Thread(this::run, "follow-" + topic.name());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether everything the topic held at start has been handed to the handler. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Records skipped because they could not be read. */
    public long unreadable() {
        return unreadable;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                if (!isCaughtUp() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    log.info("{}: caught up", topic.name());
                    caughtUp = true;
                }
                poll();
            }
        } catch (WakeupException stopping) {
            // closed
        } catch (RuntimeException e) {
            log.error("{}: follower stopped", topic.name(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void poll() {
        try {
            for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                handler.accept(record);
            }
        } catch (RecordDeserializationException unreadableRecord) {
            unreadable++;
            log.warn("{}: skipping unreadable record at {}@{}: {}", topic.name(), unreadableRecord.topicPartition(),
                    unreadableRecord.offset(), unreadableRecord.getMessage());
            consumer.seek(unreadableRecord.topicPartition(), unreadableRecord.offset() + 1);
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            var infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            log.info("{}: waiting for the topic to exist", topic.name());
        }
        throw new WakeupException();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
