package ai.moolai.control.liveness;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import ai.moolai.control.events.RecentlySeen;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.RecordReader;
import ai.moolai.service.consumer.UnreadableRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * When each orchestrator was last heard, to the second: every replica follows the heartbeat topic
 * itself (every partition, no consumer group) and keeps each orchestrator's latest heartbeat in
 * memory. It starts {@code controller.last-seen.replay} back ({@code LAST_SEEN_REPLAY}, 2 minutes:
 * longer than the heartbeat TTL), so that it knows every ACTIVE orchestrator's latest heartbeat as
 * soon as it has read them. PostgreSQL's {@code last_seen} is what the last liveness change carried
 * (exact for one that fell silent, as its going INACTIVE carries its last heartbeat); what the API
 * and the dashboard show is the later of the two. Heartbeats are not written anywhere for this.
 *
 * <p>A record it cannot read is counted ({@code controller.heartbeats.unreadable}) and passed over;
 * liveness-stream dead-letters it. When the broker cannot be reached it tries again every second,
 * and until then the stored {@code last_seen} is what is shown.
 */
@Component
public class LastSeen implements SmartLifecycle, RecentlySeen {

    private static final Logger log = LoggerFactory.getLogger(LastSeen.class);
    private static final RecordReader<Heartbeat> READER = RecordReader.of(Topics.HEARTBEATS);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How long a slow broker is given to say where the replay starts, before the whole start is tried again. */
    private static final Duration LOOKUP = Duration.ofSeconds(10);

    private final ConsumerFactory<String, byte[]> consumers;
    private final Duration replay;
    private final Counter unreadable;
    private final Map<String, Instant> latest = new ConcurrentHashMap<>();
    /** Heard since the last {@link #drain()}: what the dashboards' streams are told. */
    private final Map<String, Instant> heard = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;

    LastSeen(ConsumerFactory<String, byte[]> consumers, MeterRegistry meters,
             @Value("${controller.last-seen.replay:2m}") Duration replay) {
        this.consumers = consumers;
        this.replay = replay;
        this.unreadable = Counter.builder("controller.heartbeats.unreadable")
                .description("heartbeat records control-api could not read for last seen; liveness-stream dead-letters them")
                .register(meters);
    }

    /** The later of the stored last seen and the latest heartbeat heard here. */
    public Instant of(String orchestratorId, Instant stored) {
        Instant heartbeat = latest.get(orchestratorId);
        return heartbeat == null || (stored != null && stored.isAfter(heartbeat)) ? stored : heartbeat;
    }

    @Override
    public Map<String, Instant> drain() {
        Map<String, Instant> drained = new HashMap<>();
        heard.keySet().forEach(id -> {
            Instant at = heard.remove(id);
            if (at != null) {
                drained.put(id, at);
            }
        });
        return drained;
    }

    private void follow() {
        while (running) {
            Properties overrides = new Properties();
            overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            overrides.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
            try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, "last-seen", null, overrides)) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.HEARTBEATS.name(), POLL).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(1000);
                    continue;
                }
                consumer.assign(partitions);
                long since = System.currentTimeMillis() - replay.toMillis();
                Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(
                        partitions.stream().collect(Collectors.toMap(partition -> partition, partition -> since)), LOOKUP);
                consumer.seekToEnd(partitions);
                from.forEach((partition, offset) -> {
                    if (offset != null) {
                        consumer.seek(partition, offset.offset());
                    }
                });
                while (running) {
                    consumer.poll(POLL).forEach(this::heard);
                }
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException failed) {
                if (running) {
                    log.warn("following {} for last seen failed, trying again in 1 s: {}", Topics.HEARTBEATS.name(),
                            failed.toString());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stopping) {
                        return;
                    }
                }
            }
        }
    }

    private void heard(ConsumerRecord<String, byte[]> record) {
        Heartbeat heartbeat;
        try {
            heartbeat = READER.read(record);
        } catch (UnreadableRecord refused) {
            unreadable.increment();
            return;
        }
        if (heartbeat == null || heartbeat.orchestratorId() == null || heartbeat.receivedAt() == null) {
            unreadable.increment();
            return;
        }
        Instant at = heartbeat.receivedAt();
        Instant kept = latest.merge(heartbeat.orchestratorId(), at, (old, now) -> now.isAfter(old) ? now : old);
        if (kept == at) {
            heard.put(heartbeat.orchestratorId(), at);
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::follow, "last-seen");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        thread.interrupt();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
