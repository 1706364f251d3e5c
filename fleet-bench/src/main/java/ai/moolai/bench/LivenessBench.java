package ai.moolai.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the running liveness-stream sustains: heartbeats per second through its consumer group (the
 * topology, its RocksDB stores and changelogs, on the real broker), and the cost of its expiry check
 * with a large tracked fleet, read from its own metrics. Usage, against a running stack:
 *
 * <pre>java -cp "fleet-bench/target/fleet-bench.jar:fleet-bench/target/lib/*" ai.moolai.bench.LivenessBench \
 *     [--fleet 100000] [--heartbeats 1000000] [--kafka 127.0.0.1:9092] [--liveness http://127.0.0.1:9081]
 *     [--management-token (default: ./dev-stack/run's)]</pre>
 */
public final class LivenessBench {

    private static final String GROUP = "liveness-stream";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SessionMemoryBench.options(args);
        int fleet = Integer.parseInt(options.getOrDefault("fleet", "100000"));
        int heartbeats = Integer.parseInt(options.getOrDefault("heartbeats", "1000000"));
        String kafka = options.getOrDefault("kafka", "127.0.0.1:9092");
        Metrics liveness = new Metrics(options.getOrDefault("liveness", "http://127.0.0.1:9081"),
                StackToken.MANAGEMENT.from(options));
        Path out = Path.of(options.getOrDefault("out", "fleet-bench/target/liveness.json"));
        String prefix = "lb-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("fleet", fleet);

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            double inactiveBefore = inactive(liveness);
            long started = System.nanoTime();
            Instant now = Instant.now();
            for (int i = 0; i < fleet; i++) {
                String id = prefix + "-" + i;
                send(producer, Topics.DESIRED_STATE, id, new DesiredState(id, "bench", id, null, null, false, false, 1, null, false, now));
                send(producer, Topics.SESSION_EVENTS, id, SessionEvent.connected(id, "s-" + i, "bench-edge", now, null));
            }
            producer.flush();
            awaitCaughtUp(admin);
            double registered = (System.nanoTime() - started) / 1e9;
            System.out.printf("registered and connected %,d orchestrators: %,d records in %.1f s (%,.0f records/s)%n",
                    fleet, 2L * fleet, registered, 2L * fleet / registered);
            result.put("registrationRecordsPerSecond", 2L * fleet / registered);

            started = System.nanoTime();
            for (int i = 0; i < heartbeats; i++) {
                String id = prefix + "-" + (i % fleet);
                send(producer, Topics.HEARTBEATS, id, new Heartbeat(id, "s", "bench-edge", (long) i, null, Instant.now()));
            }
            producer.flush();
            double produced = (System.nanoTime() - started) / 1e9;
            awaitCaughtUp(admin);
            double processed = (System.nanoTime() - started) / 1e9;
            Instant lastHeartbeat = Instant.now();
            System.out.printf("heartbeats: %,d produced in %.1f s, all processed after %.1f s: %,.0f heartbeats/s%n",
                    heartbeats, produced, processed, heartbeats / processed);
            result.put("heartbeatsPerSecond", heartbeats / processed);

            // Every orchestrator falls silent and expires TTL after its last heartbeat.
            Checks beforeExpiry = Checks.read(liveness);
            double expected = inactiveBefore + fleet;
            while (inactive(liveness) < expected) {
                if (Duration.between(lastHeartbeat, Instant.now()).toSeconds() > 120) {
                    throw new IllegalStateException("not all expired within 120 s");
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            Checks expired = Checks.read(liveness);
            double perExpiry = (expired.seconds() - beforeExpiry.seconds()) * 1e6 / (expired.due() - beforeExpiry.due());
            double maxCheck = liveness.value("liveness.punctuation", "MAX") * 1000;
            System.out.printf("all %,d INACTIVE; expiry checks cost %.1f µs per orchestrator expired; longest check %.0f ms%n",
                    fleet, perExpiry, maxCheck);
            result.put("microsecondsPerExpiry", perExpiry);
            result.put("longestCheckMs", maxCheck);

            // Nothing is due any more once their last windows have closed, yet the fleet is still tracked.
            TimeUnit.SECONDS.sleep(65);
            Checks idleStart = Checks.read(liveness);
            TimeUnit.SECONDS.sleep(30);
            Checks idleEnd = Checks.read(liveness);
            double idle = (idleEnd.seconds() - idleStart.seconds()) * 1e3 / (idleEnd.count() - idleStart.count());
            System.out.printf("expiry check with %,d tracked and nothing due: %.3f ms on average over %d checks%n",
                    (long) expected, idle, (long) (idleEnd.count() - idleStart.count()));
            result.put("idleCheckMs", idle);
            result.put("tracked", expected);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.events().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println("written " + out);
    }

    /** The expiry check's running totals, from liveness-stream's metrics. */
    private record Checks(double seconds, double count, double due) {

        static Checks read(Metrics liveness) {
            return new Checks(liveness.value("liveness.punctuation", "TOTAL_TIME"),
                    liveness.value("liveness.punctuation", "COUNT"), liveness.value("liveness.deadlines.due", "COUNT"));
        }
    }

    private static double inactive(Metrics liveness) {
        return liveness.value("liveness.orchestrators", "VALUE", "status:INACTIVE");
    }

    private static <V> void send(KafkaProducer<String, byte[]> producer, Topic<V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    /** Waits until liveness-stream's group has committed the end of every input partition. */
    private static void awaitCaughtUp(Admin admin) throws Exception {
        Set<String> inputs = Set.of(Topics.HEARTBEATS.name(), Topics.SESSION_EVENTS.name(), Topics.DESIRED_STATE.name());
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            List<TopicPartition> partitions = admin.describeTopics(inputs).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
                    .toList();
            var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get();
            boolean caughtUp = partitions.stream().allMatch(p -> ends.get(p).offset() == 0
                    || committed.containsKey(p) && committed.get(p).offset() >= ends.get(p).offset());
            if (caughtUp) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }
}
