package ai.moolai.edge.publish;

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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Hands records to the Kafka producer on a thread of its own, through a bounded queue, so a socket
 * thread never blocks on the broker: when the queue is full or the broker does not acknowledge,
 * the returned future fails and the caller decides (a report is not acknowledged; a heartbeat is
 * dropped and counted). One thread keeps each session's records in the order they arrived.
 */
@Component
public class EdgePublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final ThreadPoolExecutor sender;
    private final Map<Topic<?>, Serializer<?>> serializers = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Timer latency;
    /** Whether the last record to complete failed: nothing has been acknowledged since. */
    private volatile boolean failing;

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
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        meters.gauge("edge.publish.queued", sender.getQueue(), Collection::size);
    }

    /**
     * Publishes one record, keyed by orchestrator id. The future completes when the broker has
     * acknowledged it (acks=all), and fails when it could not be queued or sent.
     */
    public <V> CompletableFuture<Void> publish(Topic<V> topic, String key, V value) {
        long queuedAt = System.nanoTime();
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            sender.execute(() -> send(topic, key, value, queuedAt, acknowledged));
        } catch (RejectedExecutionException full) {
            failed(topic, acknowledged, full);
        }
        return acknowledged;
    }

    private <V> void send(Topic<V> topic, String key, V value, long queuedAt, CompletableFuture<Void> acknowledged) {
        try {
            kafka.send(topic.name(), key, serializer(topic).serialize(topic.name(), value))
                    .whenComplete((result, error) -> {
                        if (error == null) {
                            failing = false;
                            latency.record(System.nanoTime() - queuedAt, TimeUnit.NANOSECONDS);
                            acknowledged.complete(null);
                        } else {
                            failed(topic, acknowledged, error);
                        }
                    });
        } catch (RuntimeException notSent) {
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
     * Whether what this edge receives reaches Kafka: nothing has failed, or something was
     * acknowledged since the last failure.
     */
    public boolean publishing() {
        return !failing;
    }

    private void failed(Topic<?> topic, CompletableFuture<Void> acknowledged, Throwable error) {
        failing = true;
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
