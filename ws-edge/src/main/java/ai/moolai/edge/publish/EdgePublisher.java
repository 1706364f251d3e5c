package ai.moolai.edge.publish;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import ai.moolai.edge.config.EdgeProperties;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.tracing.Traces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Hands records to the Kafka producer on a thread of its own, through a bounded queue, so a socket
 * thread never blocks on the broker: when the queue is full or the broker does not acknowledge,
 * the returned future fails and the caller decides (a report is not acknowledged; a heartbeat is
 * dropped and counted). One thread keeps each session's records in the order they arrived.
 *
 * <p>It watches its records on their way, in the queue and per partition, so that the edge's beacon to
 * partition {@code p} can say whether what it sends to partition {@code p} reaches Kafka: after a
 * broker's restart some partitions come back before others, and an edge that vouched for all of them
 * at once would have liveness-stream take the silence of the rest for their orchestrators'.
 */
@Component
public class EdgePublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final ThreadPoolExecutor sender;
    private final Map<Topic<?>, Serializer<?>> serializers = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Timer latency;
    /**
     * How long a record may wait for its acknowledgement before its partition no longer counts as
     * publishing: far above a healthy broker's latency, far below a heartbeat TTL.
     */
    static final Duration STUCK_AFTER = Duration.ofSeconds(3);

    private final RecordFlow queued = new RecordFlow();
    /** By partition number, across the topics this edge writes (they are co-partitioned by orchestrator id). */
    private final Map<Integer, RecordFlow> partitions = new ConcurrentHashMap<>();

    EdgePublisher(KafkaTemplate<String, byte[]> kafka, EdgeProperties edge, MeterRegistry meters) {
        this.kafka = kafka;
        this.meters = meters;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(edge.publishQueue()), runnable -> {
                    Thread thread = new Thread(runnable, "edge-publisher");
                    thread.setDaemon(true);
                    return thread;
                });
        this.latency = Timer.builder("edge.publish.latency")
                .description("from a frame's arrival to the broker's acknowledgement")
                .register(meters);
        meters.gauge("edge.publish.queued", sender.getQueue(), Collection::size);
    }

    /**
     * Publishes one record, keyed by orchestrator id. The future completes when the broker has
     * acknowledged it (acks=all), and fails when it could not be queued or sent.
     */
    public <V> CompletableFuture<Void> publish(Topic<V> topic, String key, V value) {
        return publish(topic, key, value, null);
    }

    /** As {@link #publish(Topic, String, Object)}, the record carrying a trace ({@code traceparent} header) when one is given. */
    public <V> CompletableFuture<Void> publish(Topic<V> topic, String key, V value, String traceparent) {
        long queuedAt = System.nanoTime();
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        queued.entered(queuedAt);
        try {
            sender.execute(() -> send(topic, key, value, traceparent, queuedAt, acknowledged));
        } catch (RejectedExecutionException full) {
            queued.left(queuedAt, false);
            failed(topic, acknowledged, full);
        }
        return acknowledged;
    }

    /** Sends to the partition the producer would choose for the key, named, so that its flow is known. */
    private <V> void send(Topic<V> topic, String key, V value, String traceparent, long queuedAt,
                          CompletableFuture<Void> acknowledged) {
        RecordFlow flow = queued;
        long enteredAt = queuedAt;
        try {
            byte[] serialized = serializer(topic).serialize(topic.name(), value);
            int partition = Topics.partitionOf(key, kafka.partitionsFor(topic.name()).size());
            queued.left(queuedAt, true);
            flow = partitions.computeIfAbsent(partition, number -> new RecordFlow());
            enteredAt = System.nanoTime();
            flow.entered(enteredAt);
            RecordFlow sending = flow;
            long sentAt = enteredAt;
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), partition, key, serialized);
            Traces.carry(record.headers(), traceparent);
            kafka.send(record)
                    .whenComplete((result, error) -> {
                        sending.left(sentAt, error == null);
                        if (error == null) {
                            latency.record(System.nanoTime() - queuedAt, TimeUnit.NANOSECONDS);
                            acknowledged.complete(null);
                        } else {
                            failed(topic, acknowledged, error);
                        }
                    });
        } catch (RuntimeException notSent) {
            flow.left(enteredAt, false);
            failed(topic, acknowledged, notSent);
        }
    }

    /** Waits until everything queued has been handed to the producer and sent. */
    public void flush() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(10, TimeUnit.SECONDS);
        kafka.flush();
    }

    /**
     * Whether what this edge sends to partition {@code partition} of its topics reaches Kafka: no
     * record waits longer than {@link #STUCK_AFTER}, in the queue or for that partition's
     * acknowledgement, and nothing failed since the last success, in either.
     */
    public boolean publishing(int partition) {
        long now = System.nanoTime();
        long stuckAfter = STUCK_AFTER.toNanos();
        RecordFlow flow = partitions.get(partition);
        return queued.flowing(now, stuckAfter) && (flow == null || flow.flowing(now, stuckAfter));
    }

    private void failed(Topic<?> topic, CompletableFuture<Void> acknowledged, Throwable error) {
        Counter.builder("edge.publish.failures").tag("topic", topic.name())
                .description("records the broker did not acknowledge or that found the queue full")
                .register(meters).increment();
        acknowledged.completeExceptionally(error);
    }

    @SuppressWarnings("unchecked")
    private <V> Serializer<V> serializer(Topic<V> topic) {
        return (Serializer<V>) serializers.computeIfAbsent(topic, t -> t.valueSerde().serializer());
    }
}
