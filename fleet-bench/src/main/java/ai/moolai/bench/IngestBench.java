package ai.moolai.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import ai.moolai.admin.AdminApi;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;

/**
 * Rows per second report-ingest lands in PostgreSQL: publishes reports (one in ten a
 * recommendation) for many orchestrators and times report-ingest's row counter reaching them all,
 * from the first publish. The records are encoded before the clock starts, so that the benchmark's
 * own JSON encoding does not take the machine's cores from the stack it measures.
 * Usage, against a running stack:
 *
 * <pre>java -cp "fleet-bench/target/fleet-bench.jar:fleet-bench/target/lib/*" ai.moolai.bench.IngestBench \
 *     [--reports 200000] [--kafka 127.0.0.1:9092] [--ingest http://127.0.0.1:9082] [--api http://127.0.0.1:8080]
 *     [--token (default: ./dev-stack/run's)] [--management-token (default: ./dev-stack/run's)]</pre>
 */
public final class IngestBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SessionMemoryBench.options(args);
        int count = Integer.parseInt(options.getOrDefault("reports", "200000"));
        Metrics ingest = new Metrics(options.getOrDefault("ingest", "http://127.0.0.1:9082"),
                StackToken.MANAGEMENT.from(options));
        Path out = Path.of(options.getOrDefault("out", "fleet-bench/target/ingest.json"));
        AdminApi api = ControlApi.connect(options);
        String prefix = "ib-" + UUID.randomUUID().toString().substring(0, 6);
        JsonNode metrics = Json.events().valueToTree(Map.of("cpu_pct", 41.5, "mem_pct", 63.0, "requests_per_min", 1200,
                "error_rate", 0.002, "p99_ms", 181));
        JsonNode recommendation = Json.events().valueToTree(Map.of("title", "Enable response cache", "severity", "info",
                "category", "performance", "proposed_action", Map.of("feature", "cache", "enabled", true)));

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getOrDefault("kafka", "127.0.0.1:9092"));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + (i % 1000);
            boolean recommends = i % 10 == 0;
            Report report = new Report(UUID.randomUUID(), id, "s", recommends ? Report.Kind.RECOMMENDATION
                    : Report.Kind.MONITORING_REPORT, Instant.now(), Instant.now(), recommends ? recommendation : metrics);
            records.add(new ProducerRecord<>(Topics.REPORTS.name(), id,
                    Topics.REPORTS.valueSerde().serializer().serialize(Topics.REPORTS.name(), report)));
        }
        double before = rows(ingest);
        Batches batchesBefore = Batches.read(ingest);
        long started = System.nanoTime();
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
        }
        double produced = (System.nanoTime() - started) / 1e9;
        while (rows(ingest) - before < count) {
            if ((System.nanoTime() - started) / 1e9 > 600) {
                throw new IllegalStateException("only " + (rows(ingest) - before) + " of " + count + " rows after 600 s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%,d reports produced in %.1f s, all in PostgreSQL after %.1f s: %,.0f rows/s%n",
                count, produced, seconds, count / seconds);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("reports", count);
        result.put("rowsPerSecond", count / seconds);
        result.put("batchSizeMean", Batches.read(ingest).meanSince(batchesBefore));
        result.put("recommendationVisibleMs", recommendationLatency(config, recommendation, api));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.events().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println("written " + out);
    }

    /**
     * From a recommendation's acknowledgement by the broker to its first appearance in control-api's
     * answer, 20 times, one at a time: p50 and max in milliseconds.
     */
    private static Map<String, Double> recommendationLatency(Properties config, JsonNode recommendation, AdminApi api)
            throws Exception {
        List<Double> samples = new ArrayList<>();
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 20; i++) {
                String id = "latency-" + UUID.randomUUID().toString().substring(0, 8);
                Report report = new Report(UUID.randomUUID(), id, "s", Report.Kind.RECOMMENDATION, Instant.now(),
                        Instant.now(), recommendation);
                producer.send(new ProducerRecord<>(Topics.REPORTS.name(), id,
                        Topics.REPORTS.valueSerde().serializer().serialize(Topics.REPORTS.name(), report))).get();
                long onTopic = System.nanoTime();
                while (api.recommendations(id, null, null, null).items().isEmpty()) {
                    if (System.nanoTime() - onTopic > TimeUnit.SECONDS.toNanos(10)) {
                        throw new IllegalStateException("recommendation for " + id + " not visible within 10 s");
                    }
                    TimeUnit.MILLISECONDS.sleep(10);
                }
                samples.add((System.nanoTime() - onTopic) / 1e6);
            }
        }
        Collections.sort(samples);
        System.out.printf("a recommendation is visible through control-api %.0f ms (p50), %.0f ms (max) after reaching its topic%n",
                samples.get(samples.size() / 2), samples.get(samples.size() - 1));
        return Map.of("p50", samples.get(samples.size() / 2), "max", samples.get(samples.size() - 1));
    }

    /** Rows report-ingest has written, reports and recommendations. */
    private static double rows(Metrics ingest) {
        return ingest.value("ingest.rows", "COUNT");
    }

    /** report-ingest's batches so far: how many, and how many rows they held in all. */
    private record Batches(double count, double rows) {

        static Batches read(Metrics ingest) {
            return new Batches(ingest.value("ingest.batch.size", "COUNT"), ingest.value("ingest.batch.size", "TOTAL"));
        }

        /** Rows per batch on average since {@code before}. */
        double meanSince(Batches before) {
            return (rows - before.rows) / (count - before.count);
        }
    }
}
