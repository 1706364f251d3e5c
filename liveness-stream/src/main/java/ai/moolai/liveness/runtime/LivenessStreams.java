package ai.moolai.liveness.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import ai.moolai.liveness.topology.LivenessProperties;
import ai.moolai.liveness.topology.LivenessTopology;
import ai.moolai.protocol.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the liveness topology. Health follows the Streams state (UP while running or rebalancing).
 * The topology trusts the wall clock for expiry only while this instance's heartbeat partitions
 * are caught up, read from the main consumer's {@code records-lag} metrics; unknown lag (just
 * started, never fetched) counts as behind.
 */
@Component
class LivenessStreams implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(LivenessStreams.class);

    private final KafkaProperties kafka;
    private final LivenessProperties properties;
    private final LivenessMetrics metrics;
    private final MeterRegistry meters;
    private static final long GATE_REFRESH_NANOS = 500_000_000L;

    private volatile KafkaStreams streams;
    private volatile KafkaStreamsMetrics streamsMetrics;
    private volatile boolean caughtUp;
    private volatile long gateCheckedAt = System.nanoTime() - GATE_REFRESH_NANOS;

    LivenessStreams(KafkaProperties kafka, LivenessProperties properties, LivenessMetrics metrics, MeterRegistry meters) {
        this.kafka = kafka;
        this.properties = properties;
        this.metrics = metrics;
        this.meters = meters;
    }

    /**
     * Whether every heartbeat partition this instance reads is within {@code caughtUpLag} of its end.
     * Reading the metrics builds a map of thousands of them, so the answer is kept for 500 ms.
     */
    boolean heartbeatsCaughtUp() {
        long now = System.nanoTime();
        if (now - gateCheckedAt >= GATE_REFRESH_NANOS) {
            caughtUp = readLag();
            gateCheckedAt = now;
        }
        return caughtUp;
    }

    private boolean readLag() {
        KafkaStreams current = streams;
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        boolean any = false;
        for (Map.Entry<MetricName, ? extends Metric> metric : current.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals("records-lag") && Topics.HEARTBEATS.name().equals(name.tags().get("topic"))
                    && !name.tags().getOrDefault("client-id", "").contains("restore")) {
                Object lag = metric.getValue().metricValue();
                if (!(lag instanceof Double value) || value.isNaN() || value > properties.caughtUpLag()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    @Override
    public void start() {
        Properties config = new Properties();
        config.putAll(kafka.buildStreamsProperties());
        streams = new KafkaStreams(LivenessTopology.build(properties, this::heartbeatsCaughtUp, metrics), config);
        streams.setStateListener((next, previous) -> log.info("liveness topology {} -> {}", previous, next));
        // Its clients' metrics (consumer lag among them) on /actuator/prometheus as kafka_*.
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        streams.start();
    }

    @Override
    public void stop() {
        KafkaStreams current = streams;
        if (current != null) {
            // Leaving the group lets a restarted instance take the partitions at once, not after the session timeout.
            current.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }

    @Override
    public boolean isRunning() {
        KafkaStreams current = streams;
        return current != null && current.state().isRunningOrRebalancing();
    }

    @Override
    public Health health() {
        KafkaStreams current = streams;
        KafkaStreams.State state = current == null ? KafkaStreams.State.CREATED : current.state();
        Health.Builder health = state.isRunningOrRebalancing() ? Health.up() : Health.down();
        return health.withDetail("state", state.name())
                .withDetail("heartbeatsCaughtUp", heartbeatsCaughtUp())
                .build();
    }
}
