package ai.moolai.edge.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ai.moolai.edge.config.EdgeProperties;
import ai.moolai.edge.publish.EdgePublisher;
import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Says, every {@code edge.beacon-interval}, to every partition of {@code edge.beacons.v1}, that this
 * edge is here, how many sessions it holds and whether what it sends to that partition of its topics
 * reaches Kafka (the topics are co-partitioned, so the liveness task reading it reads those). Each
 * liveness task reads one partition, so each hears every edge: when this edge falls silent, its
 * orchestrators become UNKNOWN rather than INACTIVE. The last beacon, at a graceful shutdown, says
 * it is stopping: its sessions are closed, and its orchestrators are judged on their own again.
 * Beacons go straight to the producer on a thread of their own, never queued behind reports.
 */
@Component
class EdgeBeacons implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EdgeBeacons.class);
    private static final Duration LAST_BEACON_WAIT = Duration.ofSeconds(3);

    private final KafkaTemplate<String, byte[]> kafka;
    private final EdgeProperties edge;
    private final SessionRegistry registry;
    private final EdgePublisher publisher;
    private final Clock clock;
    private final Serializer<EdgeBeacon> serializer = Topics.EDGE_BEACONS.valueSerde().serializer();
    private volatile ScheduledExecutorService beacons;
    private volatile boolean failing;

    EdgeBeacons(KafkaTemplate<String, byte[]> kafka, EdgeProperties edge, SessionRegistry registry,
                EdgePublisher publisher) {
        this.kafka = kafka;
        this.edge = edge;
        this.registry = registry;
        this.publisher = publisher;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void start() {
        beacons = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "edge-beacons");
            thread.setDaemon(true);
            return thread;
        });
        long period = edge.beaconInterval().toMillis();
        beacons.scheduleWithFixedDelay(() -> send(false), 0, period, TimeUnit.MILLISECONDS);
    }

    /** Runs after the session supervisor has closed every session (a lower phase stops later). */
    @Override
    public void stop() {
        ScheduledExecutorService current = beacons;
        beacons = null;
        current.shutdownNow();
        try {
            current.awaitTermination(edge.beaconInterval().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // Bounded: a shutdown does not wait on a broker that is gone.
            CompletableFuture.allOf(send(true).toArray(CompletableFuture[]::new)).get(LAST_BEACON_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the last beacon, which says this edge is stopping, did not get through: {}", e.toString());
        }
    }

    private List<CompletableFuture<?>> send(boolean stopping) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        try {
            Instant at = clock.instant();
            int sessions = registry.all().size();
            for (PartitionInfo partition : kafka.partitionsFor(Topics.EDGE_BEACONS.name())) {
                EdgeBeacon beacon = new EdgeBeacon(edge.id(), at, sessions, publisher.publishing(partition.partition()),
                        stopping);
                sends.add(kafka.send(new ProducerRecord<>(Topics.EDGE_BEACONS.name(), partition.partition(), edge.id(),
                        serializer.serialize(Topics.EDGE_BEACONS.name(), beacon))).whenComplete((sent, error) -> sent(error)));
            }
        } catch (RuntimeException notSent) {
            sent(notSent);
        }
        return sends;
    }

    /** One log line when beacons stop getting through, one when they get through again. */
    private void sent(Throwable error) {
        if (error != null && !failing) {
            failing = true;
            log.warn("edge beacons are not getting through ({}): liveness-stream will hold this edge's orchestrators "
                    + "as UNKNOWN rather than INACTIVE", error.toString());
        } else if (error == null && failing) {
            failing = false;
            log.info("edge beacons are getting through again");
        }
    }

    @Override
    public boolean isRunning() {
        return beacons != null;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }
}
