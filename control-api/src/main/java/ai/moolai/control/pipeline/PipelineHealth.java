package ai.moolai.control.pipeline;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import ai.moolai.control.outbox.Outbox;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.topics.BoundedAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * The pipeline as the dashboard's health page shows it, gathered by control-api on a thread of its
 * own every second while anyone asks (a request never waits for Kafka or a service; it gets the
 * last gathering): each service instance's readiness (its management port, named by
 * {@code PIPELINE_SERVICES}), each consumer group's lag per topic and the age of the oldest record it
 * has yet to process, the outbox's backlog and its age, the records on each dead-letter topic, and
 * the sessions each edge holds (from its beacons). Degraded, with each reason, when a service is not
 * ready, a group's oldest unprocessed record or the outbox's oldest change is older than its limit,
 * or Kafka cannot be asked.
 */
@Component
class PipelineHealth implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PipelineHealth.class);

    private static final Duration FRESH = Duration.ofSeconds(1);
    /** How long after the last request the gathering goes on. */
    private static final Duration IDLE = Duration.ofMinutes(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** How far back edge beacons are read: an edge beacons every second. */
    private static final Duration BEACONS_WITHIN = Duration.ofSeconds(5);

    /**
     * @param at       when it was gathered
     * @param status   {@code ok} or {@code degraded}
     * @param problems what makes it degraded, one line each
     */
    record Pipeline(Instant at, String status, List<String> problems, List<ServiceReadiness> services, List<ConsumerLag> consumers,
                  OutboxBacklog outbox, List<DeadLetterCount> deadLetters, List<EdgeSessions> edges) {
    }

    /** @param status {@code UP}, what the instance answered, or {@code UNREACHABLE} */
    record ServiceReadiness(String service, String instance, String status) {
    }

    /** @param oldestAgeSeconds of the oldest record the group has yet to process on this topic; null when none */
    record ConsumerLag(String group, String topic, long lag, Double oldestAgeSeconds) {
    }

    record OutboxBacklog(long backlog, Double oldestAgeSeconds) {
    }

    record DeadLetterCount(String topic, long records) {
    }

    record EdgeSessions(String edgeId, int sessions, boolean publishing, boolean stopping, Instant at) {
    }

    private final JdbcClient jdbc;
    private final KafkaAdmin kafka;
    private final ApplicationAvailability availability;
    private final PipelineProperties properties;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ScheduledExecutorService gatherer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "pipeline-health");
        thread.setDaemon(true);
        return thread;
    });
    // The Kafka clients are touched on the gatherer thread only.
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> reader;
    private volatile Pipeline last;
    /** When (nano time) the page was last asked for: gathering pauses a minute after nobody asks. */
    private volatile long askedAt = System.nanoTime();
    private volatile boolean running;

    PipelineHealth(JdbcClient jdbc, KafkaAdmin kafka, ApplicationAvailability availability, PipelineProperties properties) {
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.availability = availability;
        this.properties = properties;
    }

    /** The pipeline as last gathered (within about a second while it is asked for); empty before the first gathering. */
    Optional<Pipeline> now() {
        askedAt = System.nanoTime();
        return Optional.ofNullable(last);
    }

    private void gatherWhileAsked() {
        if (last != null && System.nanoTime() - askedAt > IDLE.toNanos()) {
            return;
        }
        try {
            last = gather();
        } catch (RuntimeException unexpected) {
            // Thrown out of a scheduled task it would end the gathering for good.
            log.warn("gathering the pipeline's health failed, trying again in {}: {}", FRESH, unexpected.toString());
        }
    }

    private Pipeline gather() {
        List<String> problems = new ArrayList<>();
        List<ServiceReadiness> services = services();
        services.stream().filter(service -> !service.status().equals("UP")).forEach(service ->
                problems.add(service.service() + " " + service.instance() + " is " + service.status()));
        OutboxBacklog outbox = outbox();
        if (outbox == null) {
            problems.add("PostgreSQL cannot be asked about the outbox (see control-api's log)");
        } else if (outbox.oldestAgeSeconds() != null && outbox.oldestAgeSeconds() > properties.outboxAgeLimit().toSeconds()) {
            problems.add(String.format("the outbox has %d changes to publish, the oldest %.0f s old", outbox.backlog(),
                    outbox.oldestAgeSeconds()));
        }
        List<ConsumerLag> consumers = List.of();
        List<DeadLetterCount> deadLetters = List.of();
        List<EdgeSessions> edges = List.of();
        try {
            consumers = consumers();
            deadLetters = deadLetters();
            edges = edges();
        } catch (Exception unreachable) {
            log.warn("the pipeline's health: Kafka cannot be asked: {}", rootMessage(unreachable));
            problems.add("Kafka cannot be asked (see control-api's log)");
        }
        consumers.stream().filter(consumer -> consumer.oldestAgeSeconds() != null
                        && consumer.oldestAgeSeconds() > properties.lagAgeLimit().toSeconds())
                .forEach(consumer -> problems.add(String.format("%s is %d records behind on %s, the oldest %.0f s old",
                        consumer.group(), consumer.lag(), consumer.topic(), consumer.oldestAgeSeconds())));
        return new Pipeline(Instant.now(), problems.isEmpty() ? "ok" : "degraded", problems, services, consumers, outbox,
                deadLetters, edges);
    }

    /** This instance's readiness, and each configured instance's, asked at once. */
    private List<ServiceReadiness> services() {
        List<ServiceReadiness> services = new ArrayList<>();
        services.add(new ServiceReadiness("control-api", "this instance",
                availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC ? "UP" : "OUT_OF_SERVICE"));
        Map<String, Integer> numbered = new HashMap<>();
        List<CompletableFuture<ServiceReadiness>> asked = new ArrayList<>();
        for (PipelineProperties.Instance instance : properties.instances()) {
            // Viewers see which instance, not where it listens: the management ports are never published.
            String label = "#" + numbered.merge(instance.service(), 1, Integer::sum);
            asked.add(http.sendAsync(HttpRequest.newBuilder(instance.management().resolve("/actuator/health/readiness"))
                            .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new ServiceReadiness(instance.service(), label, statusOf(response)))
                    // Headers in time and then a body that never ends must not hold the gathering up either.
                    .completeOnTimeout(new ServiceReadiness(instance.service(), label, "UNREACHABLE"),
                            TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)
                    .exceptionally(failed -> new ServiceReadiness(instance.service(), label, "UNREACHABLE")));
        }
        asked.forEach(service -> services.add(service.join()));
        return services;
    }

    private static String statusOf(HttpResponse<String> response) {
        try {
            String status = Json.events().readTree(response.body()).path("status").asString("");
            return status.isEmpty() ? "HTTP " + response.statusCode() : status;
        } catch (RuntimeException unreadable) {
            return "HTTP " + response.statusCode();
        }
    }

    /** The outbox's backlog, or null when PostgreSQL cannot be asked. */
    private OutboxBacklog outbox() {
        try {
            Outbox.Backlog backlog = Outbox.backlog(jdbc);
            return new OutboxBacklog(backlog.rows(), backlog.oldestAgeSeconds());
        } catch (RuntimeException unavailable) {
            log.warn("the pipeline's health: PostgreSQL cannot be asked about the outbox: {}", unavailable.toString());
            return null;
        }
    }

    /** Every consumer group's lag per topic, and the age of the oldest record it has yet to process there. */
    private List<ConsumerLag> consumers() throws Exception {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
        for (GroupListing group : admin().listGroups(ListGroupsOptions.forConsumerGroups()).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin().listConsumerGroupOffsets(group.groupId())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            offsets.values().removeIf(offset -> offset == null);
            if (!offsets.isEmpty()) {
                committed.put(group.groupId(), offsets);
            }
        }
        Map<TopicPartition, Long> ends = latest(committed.values().stream().flatMap(offsets -> offsets.keySet().stream())
                .distinct().toList());
        List<ConsumerLag> consumers = new ArrayList<>();
        committed.forEach((group, offsets) -> {
            Map<String, Map<TopicPartition, Long>> behindByTopic = new TreeMap<>();
            Map<String, Long> lagByTopic = new TreeMap<>();
            offsets.forEach((partition, offset) -> {
                long lag = Math.max(0, ends.getOrDefault(partition, offset.offset()) - offset.offset());
                lagByTopic.merge(partition.topic(), lag, Long::sum);
                if (lag > 0) {
                    behindByTopic.computeIfAbsent(partition.topic(), topic -> new HashMap<>()).put(partition, offset.offset());
                }
            });
            lagByTopic.forEach((topic, lag) -> consumers.add(new ConsumerLag(group, topic, lag,
                    oldestAge(behindByTopic.getOrDefault(topic, Map.of())))));
        });
        return consumers;
    }

    /** Seconds since the oldest of the records at these offsets was written; null when there are none. */
    private Double oldestAge(Map<TopicPartition, Long> at) {
        if (at.isEmpty()) {
            return null;
        }
        KafkaConsumer<byte[], byte[]> consumer = reader();
        Map<TopicPartition, Long> first = new HashMap<>();
        try {
            consumer.assign(at.keySet());
            at.forEach(consumer::seek);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (first.size() < at.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    first.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.timestamp());
                }
                consumer.pause(first.keySet());
            }
        } finally {
            consumer.assign(List.of());
        }
        return first.values().stream().min(Comparator.naturalOrder())
                .map(oldest -> (System.currentTimeMillis() - oldest) / 1000.0).orElse(null);
    }

    /** The records on each dead-letter topic now (within its retention). */
    private List<DeadLetterCount> deadLetters() throws Exception {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (var topic : Topics.DEAD_LETTERED) {
            partitions.put(topic.deadLetterName(), 0);
        }
        var described = admin().describeTopics(partitions.keySet()).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<TopicPartition> all = described.values().stream().flatMap(topic -> topic.partitions().stream()
                .map(partition -> new TopicPartition(topic.name(), partition.partition()))).toList();
        Map<TopicPartition, Long> ends = latest(all);
        Map<TopicPartition, Long> starts = offsets(all, OffsetSpec.earliest());
        Map<String, Long> records = new LinkedHashMap<>();
        partitions.keySet().forEach(topic -> records.put(topic, 0L));
        all.forEach(partition -> records.merge(partition.topic(),
                ends.getOrDefault(partition, 0L) - starts.getOrDefault(partition, 0L), Long::sum));
        return records.entrySet().stream().map(entry -> new DeadLetterCount(entry.getKey(), entry.getValue())).toList();
    }

    /** Each edge heard in the last seconds, as its latest beacon says (every edge beacons to every partition: one is enough). */
    private List<EdgeSessions> edges() {
        KafkaConsumer<byte[], byte[]> consumer = reader();
        TopicPartition partition = new TopicPartition(Topics.EDGE_BEACONS.name(), 0);
        try {
            return beacons(consumer, partition);
        } finally {
            consumer.assign(List.of());
        }
    }

    private static List<EdgeSessions> beacons(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition) {
        consumer.assign(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
        OffsetAndTimestamp from = consumer.offsetsForTimes(Map.of(partition,
                System.currentTimeMillis() - BEACONS_WITHIN.toMillis()), TIMEOUT).get(partition);
        consumer.seek(partition, from == null ? end : from.offset());
        Map<String, EdgeSessions> latest = new TreeMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (consumer.position(partition, TIMEOUT) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                try {
                    EdgeBeacon beacon = Topics.EDGE_BEACONS.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (beacon != null) {
                        latest.put(beacon.edgeId(), new EdgeSessions(beacon.edgeId(), beacon.sessions(), beacon.publishing(),
                                beacon.stopping(), beacon.at()));
                    }
                } catch (RuntimeException unreadable) {
                    // A beacon that cannot be read says nothing about its edge; liveness-stream dead-letters it.
                }
            }
        }
        return List.copyOf(latest.values());
    }

    private Map<TopicPartition, Long> latest(List<TopicPartition> partitions) throws Exception {
        return offsets(partitions, OffsetSpec.latest());
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
        partitions.forEach(partition -> asked.put(partition, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answered = admin().listOffsets(asked).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answered.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private Admin admin() {
        if (admin == null) {
            admin = BoundedAdmin.create(kafka, TIMEOUT);
        }
        return admin;
    }

    /** One consumer in no group, reading a record here and there (the oldest unprocessed, the latest beacons). */
    private KafkaConsumer<byte[], byte[]> reader() {
        if (reader == null) {
            // The admin's connection settings (servers, security), with what a consumer in no group needs.
            Map<String, Object> config = new HashMap<>(kafka.getConfigurationProperties());
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
            config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            reader = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return reader;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        for (int depth = 0; root.getCause() != null && depth < 10; depth++) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void start() {
        running = true;
        gatherer.scheduleWithFixedDelay(this::gatherWhileAsked, 0, FRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        gatherer.shutdownNow();
        try {
            gatherer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (reader != null) {
            reader.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
