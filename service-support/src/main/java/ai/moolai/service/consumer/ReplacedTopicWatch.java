package ai.moolai.service.consumer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import ai.moolai.service.topics.BoundedAdmin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Looks up, every second, the ids of the topics the {@link ReplayingListener}s are assigned, and
 * when one changes (the topic was replaced, or deleted and created again) has every such listener
 * read it again from its beginning, with one log line and {@code consumer.topic.replaced} counted.
 * A topic first seen is only noted. While Kafka cannot be asked, nothing changes.
 */
public final class ReplacedTopicWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReplacedTopicWatch.class);
    static final Duration EVERY = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final KafkaAdmin kafka;
    private final ObjectProvider<ReplayingListener> listeners;
    private final MeterRegistry meters;
    /** Each watched topic's id when last looked up ({@link Uuid#ZERO_UUID} while it did not exist). */
    private final Map<String, Uuid> ids = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;
    private volatile Admin admin;

    public ReplacedTopicWatch(KafkaAdmin kafka, ObjectProvider<ReplayingListener> listeners, MeterRegistry meters) {
        this.kafka = kafka;
        this.listeners = listeners;
        this.meters = meters;
    }

    /** Looks the topics up once, now, and replays those replaced since the last look. */
    void look() throws InterruptedException {
        Set<String> topics = listeners.orderedStream().flatMap(listener -> listener.topics().stream())
                .collect(Collectors.toSet());
        if (topics.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<TopicDescription>> described = admin().describeTopics(topics).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
            Uuid current;
            try {
                current = topic.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).topicId();
            } catch (ExecutionException failed) {
                if (!(failed.getCause() instanceof UnknownTopicOrPartitionException)) {
                    continue;
                }
                current = Uuid.ZERO_UUID;
            } catch (TimeoutException slow) {
                continue;
            }
            Uuid previous = ids.put(topic.getKey(), current);
            if (previous != null && !previous.equals(current) && !current.equals(Uuid.ZERO_UUID)) {
                log.warn("{} was replaced (its id was {}, now {}): reading it again from its beginning",
                        topic.getKey(), previous, current);
                listeners.orderedStream().forEach(listener -> listener.replay(topic.getKey()));
                Counter.builder("consumer.topic.replaced").tag("topic", topic.getKey())
                        .description("topics read again from their beginning because they were replaced")
                        .register(meters).increment();
            }
        }
    }

    private void lookOnSchedule() {
        try {
            look();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException unexpected) {
            // Thrown out of a scheduled task it would end the watch for good.
            log.warn("looking up the ids of the topics read failed, trying again in {}: {}", EVERY, unexpected.toString());
        }
    }

    /** One admin client, made on the first look (each would otherwise log its whole configuration). */
    private synchronized Admin admin() {
        if (admin == null) {
            admin = BoundedAdmin.create(kafka, TIMEOUT);
        }
        return admin;
    }

    @Override
    public void start() {
        if (listeners.stream().findAny().isEmpty()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "replaced-topic-watch");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::lookOnSchedule, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
