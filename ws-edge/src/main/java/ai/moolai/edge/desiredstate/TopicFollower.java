package ai.moolai.edge.desiredstate;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import ai.moolai.protocol.kafka.Topic;
import ai.moolai.service.consumer.ConsumerProgress;
import ai.moolai.service.consumer.RecordReader;
import ai.moolai.service.consumer.UnreadableRecord;
import ai.moolai.service.tracing.Traces;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic on a thread of its own, without a consumer group: each edge
 * sees every record. Starting from the beginning, it knows when it has caught up with what the
 * topic held when it started.
 *
 * <p>Values are read here rather than by the consumer, so a record that breaks the topic's contract
 * still has its key: it is logged once at WARN, counted, and handed over as
 * {@link Followed.Unreadable} for the handler to fail closed on. Nothing is dead-lettered: every
 * edge reads every record, at every start, and would write its own copy each time.
 *
 * <p>When anything escapes the loop (a handler's bug, the consumer failing), the thread ends and
 * the follower says so: one ERROR line, its progress failed, and its owner told, for what it knew
 * is frozen from then on. Built by {@link TopicFollowers}.
 *
 * @param <V> the topic's value type
 */
public final class TopicFollower<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Topic<V> topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final RecordReader<V> reader;
    private final boolean fromBeginning;
    private final ConsumerProgress progress;
    private final Counter unreadable;
    private final Consumer<Followed<V>> handler;
    private final Runnable died;
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile boolean dead;

    /**
     * @param consumerProps consumer configuration (bootstrap servers and the like); group settings are ignored
     * @param fromBeginning read the whole topic ({@code true}) or only what arrives after start
     * @param reader        reads one record by the topic's contract, or refuses it as unreadable
     * @param progress      where the follower reports the records it has in hand, and its death
     * @param unreadable    counts the records it could not read
     * @param handler       called for every record, on the follower's thread, in offset order per partition
     * @param died          called once, on the follower's thread, after it died
     */
    TopicFollower(Topic<V> topic, Map<String, Object> consumerProps, boolean fromBeginning, RecordReader<V> reader,
                  ConsumerProgress progress, Counter unreadable, Consumer<Followed<V>> handler, Runnable died) {
        Map<String, Object> props = new HashMap<>(consumerProps);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // A topic recreated under us (a broker replaced, its data lost) starts again at offset 0:
        // a followed topic is read again from there, desired state republished into it included.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), new ByteArrayDeserializer());
        this.fromBeginning = fromBeginning;
        this.reader = reader;
        this.progress = progress;
        this.unreadable = unreadable;
        this.handler = handler;
        this.died = died;
        this.thread = new Thread(this::run, "follow-" + topic.name());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether everything the topic held at start has been handed to the handler. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Whether the follower is still reading: neither closed nor dead. */
    public boolean isFollowing() {
        return running && !dead;
    }

    /** Whether the follower's thread ended on an error. */
    public boolean hasDied() {
        return dead;
    }

    /** Records that could not be read, on this topic, by this process. */
    public long unreadable() {
        return (long) unreadable.count();
    }

    private void run() {
        try {
            follow();
        } catch (RuntimeException | Error death) {
            if (running) {
                die(death);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void follow() {
        List<TopicPartition> partitions = awaitPartitions();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        Map<TopicPartition, Long> end = retrying(() -> consumer.endOffsets(partitions));
        while (running) {
            if (!caughtUp && retrying(() -> end.entrySet().stream()
                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue()))) {
                log.info("{}: caught up", topic.name());
                caughtUp = true;
            }
            poll();
        }
    }

    private void poll() {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        if (records.isEmpty()) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, byte[]> record : records) {
            oldest = Math.min(oldest, record.timestamp());
        }
        progress.started(oldest);
        for (ConsumerRecord<String, byte[]> record : records) {
            handler.accept(read(record));
        }
        progress.finished(records.count());
    }

    private Followed<V> read(ConsumerRecord<String, byte[]> record) {
        try {
            return new Followed.Value<>(record.key(), reader.read(record), Traces.of(record.headers()));
        } catch (UnreadableRecord refused) {
            unreadable.increment();
            log.warn("unreadable {}-{}@{} key={}: {}", record.topic(), record.partition(), record.offset(), record.key(),
                    refused.getMessage());
            return new Followed.Unreadable<>(record.key(), refused.getMessage());
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            var infos = retrying(() -> consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            log.info("{}: waiting for the topic to exist", topic.name());
        }
        throw new WakeupException();
    }

    /**
     * Runs a step that asks the broker, again and again while the broker does not answer in time:
     * a slow or absent broker is waited out, never taken for a dead follower.
     */
    private <T> T retrying(Supplier<T> step) {
        while (running) {
            try {
                return step.get();
            } catch (RetriableException notYet) {
                log.warn("{}: the broker did not answer ({}); asking again", topic.name(), notYet.toString());
            }
        }
        throw new WakeupException();
    }

    private void die(Throwable death) {
        dead = true;
        log.error("{}: follower died; what it read is frozen, so the edge refuses sessions and reports itself broken",
                topic.name(), death);
        progress.failed(death.toString());
        died.run();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
