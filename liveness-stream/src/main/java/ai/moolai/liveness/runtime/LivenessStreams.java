package ai.moolai.liveness.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ai.moolai.liveness.topology.LivenessListener;
import ai.moolai.liveness.topology.LivenessProperties;
import ai.moolai.liveness.topology.LivenessTopology;
import ai.moolai.protocol.kafka.TopicLayout;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.InstanceIds;
import ai.moolai.service.consumer.ConsumerProgress;
import ai.moolai.service.consumer.ConsumerWatch;
import ai.moolai.service.consumer.DeadLetterPublisher;
import ai.moolai.service.consumer.Failures;
import ai.moolai.service.topics.ContractTopics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the liveness topology, dead-lettering through the {@link DeadLetterPublisher}. A stream
 * thread that fails on an error a retry may cure (the broker away, a dead letter not taken) is
 * replaced and takes the records up again from the last commit; any other error (a bug) shuts the
 * client down. A client that dies (ERROR, or NOT_RUNNING without being asked to stop) makes the
 * application's liveness BROKEN and readiness REFUSING_TRAFFIC, marks its consumer dead, and this
 * health DOWN with the reason; otherwise this health is UP, with the Streams state in its details.
 *
 * <p>The topology trusts the wall clock for expiry only while this instance's heartbeat partitions
 * are caught up, read from the main consumer's {@code records-lag} metrics; unknown lag (just
 * started, never fetched) counts as behind, and so does a lag no fetch has confirmed for
 * {@link #FETCH_STALL} (the broker unreachable: the metric only repeats its last value). Then
 * nobody expires: liveness-stream cannot hear anyone, which says nothing of the orchestrators. The same reading, every half second, tells
 * {@link StreamProgress} whether records wait.
 */
@Component
class LivenessStreams implements SmartLifecycle, HealthIndicator {

    /** The name of the client's progress among the {@code consumers}. */
    static final String CONSUMER = "liveness-stream";

    private static final Logger log = LoggerFactory.getLogger(LivenessStreams.class);
    private static final Duration LAG_REFRESH = Duration.ofMillis(500);
    /**
     * How long the main consumers may complete no fetch before this instance counts as unable to
     * hear anyone: a fetch waits at most half a second for records, so a healthy consumer completes
     * several a second, and a lag metric without fetches only repeats its last value.
     */
    private static final Duration FETCH_STALL = Duration.ofSeconds(5);
    /** How often the cluster's id is compared with the one this instance started on. */
    private static final Duration CLUSTER_CHECK = Duration.ofSeconds(5);

    private final KafkaProperties kafka;
    private final LivenessProperties properties;
    private final LivenessListener listener;
    private final MeterRegistry meters;
    private final DeadLetterPublisher deadLetters;
    private final ConsumerProgress progress;
    private final StreamProgress streamProgress;
    private final ApplicationEventPublisher events;

    private final int serverPort;
    private final ContractTopics topics;
    private volatile KafkaStreams streams;
    private volatile KafkaStreamsMetrics streamsMetrics;
    private volatile ScheduledExecutorService lagWatch;
    private volatile Admin admin;
    /** The id of the Kafka cluster this instance's state belongs to, once known. */
    private volatile String clusterId;
    /** Set when the cluster changed under this instance: its group's offsets there are not offsets of that cluster. */
    private volatile boolean clusterChanged;
    private volatile String applicationId;
    private volatile boolean running;
    private volatile boolean caughtUp;
    /** How long closing the client may wait for it to flush and leave its group. */
    private volatile Duration closeWait = Duration.ofSeconds(30);
    /** The main consumers' completed fetches at the last reading, and when (nano time) that count last grew. */
    private double fetches = -1;
    private long fetchesGrewAt = System.nanoTime();
    /** Why the last stream thread to fail took the client down with it. */
    private volatile String fatal;

    LivenessStreams(KafkaProperties kafka, LivenessProperties properties, LivenessListener listener, MeterRegistry meters,
                    DeadLetterPublisher deadLetters, ConsumerWatch consumers, ApplicationEventPublisher events,
                    ContractTopics topics, @Value("${server.port}") int serverPort) {
        this.kafka = kafka;
        this.topics = topics;
        this.serverPort = serverPort;
        this.properties = properties;
        this.listener = listener;
        this.meters = meters;
        this.deadLetters = deadLetters;
        this.progress = consumers.progress(CONSUMER);
        this.streamProgress = new StreamProgress(progress, Clock.systemUTC());
        this.events = events;
    }

    /**
     * Whether every heartbeat partition this instance reads is within {@code caughtUpLag} of its end,
     * as of the last reading of the metrics (at most half a second old).
     */
    boolean heartbeatsCaughtUp() {
        return caughtUp;
    }

    /**
     * Reads the main consumers' lag: whether the heartbeats are caught up, and whether records wait
     * on any input. Reading the metrics builds a map of thousands of them, hence every half second,
     * off the stream threads.
     */
    private void watchLag() {
        try {
            readLag();
        } catch (RuntimeException unexpected) {
            // Thrown out of a scheduled task it would end the watch for good, and with it the progress reports.
            log.warn("liveness topology: reading the consumer lag failed, trying again in {}", LAG_REFRESH, unexpected);
        }
    }

    private void readLag() {
        KafkaStreams current = streams;
        boolean clientRunning = current != null && current.state() == KafkaStreams.State.RUNNING;
        boolean heartbeatsKnown = false;
        boolean heartbeatsBehind = false;
        boolean waiting = false;
        double fetched = 0;
        if (current != null) {
            for (Map.Entry<MetricName, ? extends Metric> metric : current.metrics().entrySet()) {
                MetricName name = metric.getKey();
                String topic = name.tags().get("topic");
                if (name.name().equals("fetch-total") && topic == null
                        && !name.tags().getOrDefault("client-id", "").contains("restore")
                        && metric.getValue().metricValue() instanceof Double total) {
                    fetched += total;
                    continue;
                }
                if (!name.name().equals("records-lag") || topic == null
                        || name.tags().getOrDefault("client-id", "").contains("restore")) {
                    continue;
                }
                Object lag = metric.getValue().metricValue();
                boolean known = lag instanceof Double value && !value.isNaN();
                double records = known ? (Double) lag : 0;
                waiting |= records > 0 && isInput(topic);
                if (topic.equals(Topics.HEARTBEATS.name())) {
                    heartbeatsKnown = true;
                    heartbeatsBehind |= !known || records > properties.caughtUpLag();
                }
            }
        }
        long now = System.nanoTime();
        if (fetched != fetches) {
            fetches = fetched;
            fetchesGrewAt = now;
        }
        boolean fetching = now - fetchesGrewAt <= FETCH_STALL.toNanos();
        caughtUp = clientRunning && heartbeatsKnown && !heartbeatsBehind && fetching;
        streamProgress.report(waiting);
    }

    /**
     * A broker replaced by an empty one (a disaster, a move to a new cluster) has a new cluster id
     * and none of this instance's changelog topics: the Streams client would go on failing to write
     * them. The state belongs to the old cluster, so the process stops, saying why, and its restart
     * builds the state afresh on the new one.
     */
    private void watchCluster() {
        String current;
        try {
            current = admin.describeCluster().clusterId().get(CLUSTER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception unreachable) {
            return;
        }
        if (clusterId == null) {
            clusterId = current;
        } else if (!clusterId.equals(current) && running) {
            String reason = "the Kafka cluster changed (was " + clusterId + ", now " + current
                    + "): this instance's state belongs to the old one; stopping, so that a restart builds it afresh";
            log.error("liveness topology: {}", reason);
            fatal = reason;
            clusterChanged = true;
            died(reason);
            // Nothing is left to flush to: the changelogs and the group are the old cluster's.
            closeWait = Duration.ofSeconds(1);
            Thread exit = new Thread(() -> System.exit(1), "liveness-cluster-changed");
            exit.start();
        }
    }

    private static boolean isInput(String topic) {
        return topic.equals(Topics.HEARTBEATS.name()) || topic.equals(Topics.SESSION_EVENTS.name())
                || topic.equals(Topics.DESIRED_STATE.name());
    }

    @Override
    public void start() {
        Properties config = new Properties();
        config.putAll(kafka.buildStreamsProperties());
        // Its changelogs and repartition topics, as safe as the contract's topics.
        TopicLayout layout = topics.layout();
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) layout.replicationFactor());
        config.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), layout.minInsyncReplicas());
        if (config.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "").isBlank()) {
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "liveness-stream-" + InstanceIds.hostAndPort(serverPort));
        }
        applicationId = config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        log.info("liveness topology: member {} of {}", config.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                applicationId);
        config.putAll(LivenessTopology.config(deadLetters::publish));
        streams = new KafkaStreams(LivenessTopology.build(properties, this::heartbeatsCaughtUp,
                listener.andThen(streamProgress)), config);
        streams.setStateListener(this::stateChanged);
        streams.setUncaughtExceptionHandler(this::threadFailed);
        // Its clients' metrics (consumer lag among them) on /actuator/prometheus as kafka_*.
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        lagWatch = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "liveness-lag-watch");
            thread.setDaemon(true);
            return thread;
        });
        lagWatch.scheduleWithFixedDelay(this::watchLag, 0, LAG_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        admin = Admin.create(kafka.buildAdminProperties());
        lagWatch.scheduleWithFixedDelay(this::watchCluster, 0, 1, TimeUnit.SECONDS);
        running = true;
        streams.start();
    }

    /** What becomes of the client when one of its stream threads dies of {@code error}. */
    StreamThreadExceptionResponse threadFailed(Throwable error) {
        if (Failures.isAvailability(error)) {
            log.error("liveness topology: a stream thread failed on an error a retry may cure, replacing it: {}",
                    causes(error));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        fatal = "a stream thread failed: " + rootCause(error);
        log.error("liveness topology: a stream thread failed on an error of our own, shutting the client down", error);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private void stateChanged(KafkaStreams.State next, KafkaStreams.State previous) {
        log.info("liveness topology {} -> {}", previous, next);
        if (next == KafkaStreams.State.ERROR || (next == KafkaStreams.State.NOT_RUNNING && running)) {
            String reason = fatal != null ? fatal : "the Streams client went " + next + " without being asked to stop";
            if (fatal == null) {
                log.error("liveness topology: {}", reason);
            }
            died(reason);
        }
    }

    /** The client will process nothing more: the application is not alive, whatever else still runs. */
    private void died(String reason) {
        progress.failed(reason);
        AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
    }

    @Override
    public void stop() {
        running = false;
        if (lagWatch != null) {
            lagWatch.shutdownNow();
        }
        KafkaStreams current = streams;
        if (current != null) {
            // Leaving the group lets a restarted instance take the partitions at once, not after the session timeout.
            current.close(new KafkaStreams.CloseOptions().timeout(closeWait).leaveGroup(true));
        }
        if (admin != null) {
            if (clusterChanged) {
                forgetOffsets();
            }
            admin.close(Duration.ofSeconds(5));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }

    /**
     * Deletes this application's group on the new cluster. Until the change was seen, the client went
     * on with its positions in the old cluster's topics and may have committed them in the new one:
     * within the new topics' records, they would have the restart skip what lies before them.
     */
    private void forgetOffsets() {
        try {
            admin.deleteConsumerGroups(List.of(applicationId)).all().get(CLUSTER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            log.info("liveness topology: deleted group {} on the new cluster, so that the restart reads from the beginning",
                    applicationId);
        } catch (ExecutionException failed) {
            if (!(failed.getCause() instanceof GroupIdNotFoundException)) {
                log.warn("liveness topology: could not delete group {} on the new cluster ({}): the restart may skip "
                        + "records before the positions it committed there", applicationId, failed.getCause().toString());
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException slow) {
            log.warn("liveness topology: deleting group {} on the new cluster took over {}: the restart may skip records "
                    + "before the positions it committed there", applicationId, CLUSTER_CHECK);
        }
    }

    /** Started and not yet stopped, whatever the client's state, so that a dead client is still closed. */
    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public Health health() {
        KafkaStreams current = streams;
        KafkaStreams.State state = current == null ? KafkaStreams.State.CREATED : current.state();
        Health.Builder health = progress.failure().map(reason -> Health.down().withDetail("error", reason))
                .orElseGet(Health::up);
        return health.withDetail("state", state.name())
                .withDetail("heartbeatsCaughtUp", heartbeatsCaughtUp())
                .build();
    }

    /** The error and its causes, one after the other, for one log line. */
    private static String causes(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        Throwable cause = error.getCause();
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
            text.append(" <- ").append(cause);
        }
        return text.toString();
    }

    /** What an error began with: Streams wraps ours in its own. */
    private static String rootCause(Throwable error) {
        Throwable root = error;
        for (int depth = 0; root.getCause() != null && depth < 10; depth++) {
            root = root.getCause();
        }
        return root.toString();
    }
}
