package ai.moolai.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import ai.moolai.admin.AdminApi;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The fleet at scale against a running stack: orchestrators created through control-api, their
 * sessions held by several client processes ({@link FleetWorker}, at most {@code --per-worker}
 * sessions each, under one process's open-file limit) heartbeating every {@code --interval}
 * seconds. Measures the edges' memory per session at each stage, then at full size the heartbeat
 * throughput end to end (edge frames in, liveness-stream's consumer lag), PostgreSQL writes per
 * heartbeat from {@code pg_stat_database}, and a burst (every session at once) until
 * liveness-stream has caught up. With several edges ({@code --edge}, {@code --edge-management}
 * and {@code --liveness} take comma-separated lists, in the same order), each stage's sessions are
 * split evenly over the edges, each client process connecting straight to one, and memory is the
 * edges' together.
 * Usage:
 *
 * <pre>java -cp "fleet-bench/target/fleet-bench.jar:fleet-bench/target/lib/*" ai.moolai.bench.FleetBench \
 *     [--stages 1000,10000,19000] [--per-worker 7000] [--interval 10] [--measure 120] [--api http://127.0.0.1:8080]
 *     [--token (default: ./dev-stack/run's)] [--edge ws://127.0.0.1:8765/ws] [--kafka 127.0.0.1:9092]
 *     [--edge-management http://127.0.0.1:9765] [--edge-pid (default: the ws-edge process on the edge's port)]
 *     [--liveness http://127.0.0.1:9081] [--management-token (default: ./dev-stack/run's)]
 *     [--jdbc jdbc:postgresql://127.0.0.1:5432/moolai_controller] [--db-user moolai] [--db-password moolai]</pre>
 */
public final class FleetBench {

    private final Map<String, String> options;
    private final AdminApi api;
    /** Sessions each edge holds, in {@link #edgeUris()}'s order. */
    private int[] sessionsPerEdge;

    private FleetBench(Map<String, String> options) throws IOException {
        this.options = options;
        this.api = ControlApi.connect(options);
    }

    public static void main(String[] args) throws Exception {
        new FleetBench(SessionMemoryBench.options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        List<Integer> stages = List.of(options.getOrDefault("stages", "1000,10000,19000").split(",")).stream()
                .map(stage -> Integer.parseInt(stage.trim())).toList();
        int perWorker = Integer.parseInt(options.getOrDefault("per-worker", "7000"));
        long interval = Long.parseLong(options.getOrDefault("interval", "10"));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure", "120")));
        Path out = Path.of(options.getOrDefault("out", "fleet-bench/target/fleet.json"));
        Path work = Files.createTempDirectory("fleet-bench");
        String managementToken = StackToken.MANAGEMENT.from(options);
        List<URI> edges = edgeUris();
        List<Metrics> edgeMetrics = list("edge-management", "http://127.0.0.1:9765").stream()
                .map(url -> new Metrics(url, managementToken)).toList();
        List<Metrics> livenessMetrics = list("liveness", "http://127.0.0.1:9081").stream()
                .map(url -> new Metrics(url, managementToken)).toList();
        List<ProcessMemory> edgeMemory = edgePids(edges).stream().map(ProcessMemory::new).toList();
        if (edgeMetrics.size() != edges.size()) {
            throw new IllegalArgumentException("--edge-management names " + edgeMetrics.size() + " edges and --edge "
                    + edges.size());
        }
        sessionsPerEdge = new int[edges.size()];
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));

        String organization = "fleet-" + UUID.randomUUID().toString().substring(0, 6);
        long provisioning = System.nanoTime();
        List<SimulatedFleet.Member> members = ControlApi.provision(api, organization, stages.get(stages.size() - 1));
        double provisionSeconds = (System.nanoTime() - provisioning) / 1e9;
        System.out.printf("created %,d orchestrators through the API in %.1f s (%.0f/s)%n", members.size(),
                provisionSeconds, members.size() / provisionSeconds);
        result.put("provisionedPerSecond", members.size() / provisionSeconds);
        for (URI edge : edges) {
            try (SimulatedFleet probe = new SimulatedFleet(edge)) {
                probe.awaitEdgeKnows(members.get(members.size() - 1), Duration.ofSeconds(120));
            }
        }

        try (FleetWorkers workers = new FleetWorkers(work); Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.getOrDefault("kafka", "127.0.0.1:9092")))) {
            ProcessMemory.Sample baseline = sample(edgeMemory);
            List<Map<String, Object>> memory = new ArrayList<>();
            int held = 0;
            int offered = 0;
            for (int stage : stages) {
                // Each stage's new members split evenly over the edges, each edge's share in client processes
                // of at most perWorker: no edge is given more than its share of the open files.
                int added = stage - offered;
                for (int edge = 0; edge < edges.size(); edge++) {
                    int share = added / edges.size() + (edge < added % edges.size() ? 1 : 0);
                    for (int end = offered + share; offered < end; offered = Math.min(end, offered + perWorker)) {
                        int connected = workers.start(members.subList(offered, Math.min(end, offered + perWorker)),
                                interval, edges.get(edge));
                        sessionsPerEdge[edge] += connected;
                        held += connected;
                    }
                }
                TimeUnit.SECONDS.sleep(interval + 2);
                ProcessMemory.Sample sample = sample(edgeMemory);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("sessions", held);
                row.put("sessionsPerEdge", Arrays.stream(sessionsPerEdge).boxed().toList());
                row.put("workers", workers.size());
                row.put("rssKb", sample.rssKb());
                row.put("heapAfterGcKb", sample.heapAfterGcKb());
                row.put("rssBytesPerSession", (sample.rssKb() - baseline.rssKb()) * 1024 / held);
                row.put("heapBytesPerSession", (sample.heapAfterGcKb() - baseline.heapAfterGcKb()) * 1024 / held);
                memory.add(row);
                System.out.printf("%,7d sessions in %d client processes (per edge: %s): edge RSS %,d KB (+%,d B/session), "
                        + "heap after GC %,d KB (+%,d B/session)%n", held, workers.size(), row.get("sessionsPerEdge"),
                        sample.rssKb(), row.get("rssBytesPerSession"), sample.heapAfterGcKb(), row.get("heapBytesPerSession"));
            }
            result.put("memory", memory);
            result.put("sessionsHeld", held);
            result.put("steady", steady(admin, edgeMetrics, livenessMetrics, measure, held));
            result.put("burst", burst(admin, held, workers));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.events().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println("written " + out);
    }

    /** Steady heartbeating: throughput through the edge and liveness-stream, its lag, PostgreSQL's writes. */
    private Map<String, Object> steady(Admin admin, List<Metrics> edgeMetrics, List<Metrics> livenessMetrics,
                                       Duration measure, int sessions) throws Exception {
        Map<String, Long> dbBefore = pgStat();
        double heartbeatsBefore = heartbeatsIn(edgeMetrics);
        long processedBefore = committed(admin);
        long started = System.nanoTime();
        List<Long> lags = new ArrayList<>();
        double fetchLagMax = 0;
        while (System.nanoTime() - started < measure.toNanos()) {
            lags.add(lag(admin));
            for (Metrics liveness : livenessMetrics) {
                double fetchLag = liveness.value("kafka.consumer.fetch.manager.records.lag", "VALUE",
                        "topic:" + Topics.HEARTBEATS.name());
                fetchLagMax = Double.isNaN(fetchLag) ? fetchLagMax : Math.max(fetchLagMax, fetchLag);
            }
            TimeUnit.SECONDS.sleep(1);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double heartbeats = heartbeatsIn(edgeMetrics) - heartbeatsBefore;
        long processed = committed(admin) - processedBefore;
        Map<String, Long> dbAfter = pgStat();
        long rows = dbAfter.get("rows") - dbBefore.get("rows");
        long commits = dbAfter.get("commits") - dbBefore.get("commits");
        double heartbeatsPerSecond = heartbeats / seconds;
        List<Long> sorted = lags.stream().sorted().toList();
        Map<String, Object> steady = new LinkedHashMap<>();
        steady.put("sessions", sessions);
        steady.put("seconds", seconds);
        steady.put("heartbeatsPerSecondAtEdge", heartbeatsPerSecond);
        steady.put("heartbeatsPerSecondThroughLiveness", processed / seconds);
        steady.put("uncommittedRecordsP50", sorted.get(sorted.size() / 2));
        steady.put("uncommittedRecordsMax", sorted.get(sorted.size() - 1));
        steady.put("uncommittedSecondsMax", sorted.get(sorted.size() - 1) / heartbeatsPerSecond);
        steady.put("consumerRecordsLagMax", fetchLagMax);
        steady.put("consumerLagSecondsMax", fetchLagMax / heartbeatsPerSecond);
        steady.put("activeInControlApi", activeCount());
        steady.put("postgresRowsWritten", rows);
        steady.put("postgresCommits", commits);
        steady.put("postgresRowsPerHeartbeat", rows / heartbeats);
        steady.put("postgresCommitsPerHeartbeat", commits / heartbeats);
        System.out.printf("steady, %,d sessions every %s s, %.0f s: %.0f heartbeats/s at the edge, %.0f/s through "
                        + "liveness-stream; its consumer's lag at most %.0f records (%.2f s), uncommitted p50 %,d max %,d "
                        + "records (commits every 1 s); PostgreSQL: %.4f rows and %.4f commits per heartbeat; %s ACTIVE in "
                        + "control-api%n", sessions, options.getOrDefault("interval", "10"), seconds, heartbeatsPerSecond,
                processed / seconds, fetchLagMax, fetchLagMax / heartbeatsPerSecond, steady.get("uncommittedRecordsP50"),
                steady.get("uncommittedRecordsMax"), rows / heartbeats, commits / heartbeats, steady.get("activeInControlApi"));
        return steady;
    }

    /**
     * Every session heartbeats at once; how long until liveness-stream has committed past the last
     * of them (an upper bound: it commits at most 1 s after processing).
     */
    private Map<String, Object> burst(Admin admin, int sessions, FleetWorkers workers) throws Exception {
        long started = System.nanoTime();
        workers.ask("BURST", "BURST_SENT");
        double sentSeconds = (System.nanoTime() - started) / 1e9;
        Map<TopicPartition, Long> sent = endOffsets(admin);
        long peak = 0;
        double caughtUpSeconds = Double.NaN;
        while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60)) {
            Map<TopicPartition, Long> position = committedOffsets(admin);
            peak = Math.max(peak, sent.entrySet().stream()
                    .mapToLong(end -> Math.max(0, end.getValue() - position.getOrDefault(end.getKey(), 0L))).sum());
            if (sent.entrySet().stream().allMatch(end -> position.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
                caughtUpSeconds = (System.nanoTime() - started) / 1e9;
                break;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        Map<String, Object> burst = new LinkedHashMap<>();
        burst.put("sessions", sessions);
        burst.put("sentSeconds", sentSeconds);
        burst.put("peakBacklogRecords", peak);
        burst.put("caughtUpSeconds", caughtUpSeconds);
        System.out.printf("burst of %,d heartbeats: sent in %.2f s, backlog at most %,d records, liveness-stream committed "
                + "past the last of them %.2f s after the burst began%n", sessions, sentSeconds, peak, caughtUpSeconds);
        return burst;
    }

    private long activeCount() {
        return api.live().counts().getOrDefault("ACTIVE", 0L);
    }

    private static double heartbeatsIn(List<Metrics> edges) {
        return edges.stream().mapToDouble(edge -> edge.value("edge.frames.in", "COUNT", "type:i_am_alive")).sum();
    }

    /** The edges' memory together: a sample of each, summed. */
    private static ProcessMemory.Sample sample(List<ProcessMemory> edges) throws IOException, InterruptedException {
        long rssKb = 0;
        long heapKb = 0;
        for (ProcessMemory edge : edges) {
            ProcessMemory.Sample sample = edge.sample();
            rssKb += sample.rssKb();
            heapKb += sample.heapAfterGcKb();
        }
        return new ProcessMemory.Sample(rssKb, heapKb);
    }

    /** liveness-stream's committed position on the heartbeat topic, summed over partitions. */
    private static long committed(Admin admin) throws Exception {
        return committedOffsets(admin).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Heartbeats on the topic that liveness-stream has not committed yet (commits are at most 1 s apart). */
    private static long lag(Admin admin) throws Exception {
        Map<TopicPartition, Long> position = committedOffsets(admin);
        return endOffsets(admin).entrySet().stream()
                .mapToLong(end -> end.getValue() - position.getOrDefault(end.getKey(), 0L)).sum();
    }

    private static Map<TopicPartition, Long> committedOffsets(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets("liveness-stream").partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(entry -> entry.getKey().topic().equals(Topics.HEARTBEATS.name()))
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        return endOffsets(admin, Topics.HEARTBEATS.name());
    }

    /** The topic's end offsets: how many records it has had, per partition. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Set<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get()
                .get(topic).partitions().stream()
                .map(partition -> new TopicPartition(topic, partition.partition()))
                .collect(Collectors.toSet());
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get()
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    /** Rows written and transactions committed in the controller's database so far. */
    private Map<String, Long> pgStat() throws SQLException {
        try (Connection connection = ControlApi.database(options);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT tup_inserted + tup_updated + tup_deleted, xact_commit "
                     + "FROM pg_stat_database WHERE datname = current_database()")) {
            row.next();
            return Map.of("rows", row.getLong(1), "commits", row.getLong(2));
        }
    }

    private List<URI> edgeUris() {
        return list("edge", "ws://127.0.0.1:8765/ws").stream().map(URI::create).toList();
    }

    /** A comma-separated option. */
    private List<String> list(String option, String fallback) {
        return Arrays.stream(options.getOrDefault(option, fallback).split(",")).map(String::strip).toList();
    }

    /** Each edge's process: {@code --edge-pid}, or the ws-edge process here listening on the edge's port. */
    private List<Long> edgePids(List<URI> edges) {
        if (options.containsKey("edge-pid")) {
            return list("edge-pid", "").stream().map(Long::parseLong).toList();
        }
        List<ProcessHandle> running = ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains("ws-edge-exec.jar")).toList();
        return edges.stream().map(edge -> running.stream()
                .filter(process -> running.size() == 1
                        || process.info().commandLine().orElse("").contains("--server.port=" + edge.getPort()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no ws-edge process here on port " + edge.getPort()
                        + "; pass --edge-pid"))
                .pid()).toList();
    }
}
