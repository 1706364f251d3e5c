package ai.moolai.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import ai.moolai.admin.AdminApi;
import ai.moolai.process.ChildProcess;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The dashboard at fleet scale, in a real browser against a running stack: {@code --registered}
 * orchestrators created through control-api, {@code --connected} of them holding sessions from
 * client processes ({@link FleetWorker}) and heartbeating every 10 s, {@code --dashboards}
 * dashboards open in Chromium, each on a different view of the fleet ({@code
 * frontend/bench/dashboard.bench.mjs}, spoken with over its standard input and output); then a
 * storm of {@code --storm} liveness transitions a second for {@code --storm-seconds} among the
 * orchestrators not connected: sessions opening, and closing cleanly a second later, published to
 * the session topic as an edge publishes them (an edge on this machine completes only a few hundred
 * handshakes a second). Measures each dashboard's time to its first fleet rows on a cold load, its
 * longest main-thread task and the bytes it received, for {@code --quiet} seconds before the storm
 * and from the storm's start until every orchestrator of it is INACTIVE again, and where the CPU
 * went in each (the machine, control-api, the browser); then checks that every dashboard shows the
 * counts control-api has, and the statuses of its rows control-api's for its page. {@code --views}
 * (comma-separated, {@code {organization}} standing for the benchmark's) replaces the views.
 * Usage:
 *
 * <pre>java -cp "fleet-bench/target/fleet-bench.jar:fleet-bench/target/lib/*" ai.moolai.bench.DashboardBench \
 *     [--registered 20000] [--connected 10000] [--storm 1000] [--storm-seconds 10] [--dashboards 5]
 *     [--per-worker 5000] [--api http://127.0.0.1:8080] [--dashboard (default: --api)] [--edge ws://127.0.0.1:8765/ws]
 *     [--quiet 10] [--views /,/?size=200,…] [--kafka 127.0.0.1:9092] [--token (default: ./dev-stack/run's)] [--frontend frontend]
 *     [--out fleet-bench/target/dashboard.json]</pre>
 */
public final class DashboardBench {

    /** The edge the storm's sessions are on, as far as the session topic says. */
    private static final String STORM_EDGE = "dashboard-bench-edge";

    private final Map<String, String> options;
    private final AdminApi api;

    private DashboardBench(Map<String, String> options) throws Exception {
        this.options = options;
        this.api = ControlApi.connect(options);
    }

    public static void main(String[] args) throws Exception {
        new DashboardBench(SessionMemoryBench.options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int registered = number("registered", 20_000);
        int connected = number("connected", 10_000);
        int perWorker = number("per-worker", 5_000);
        int storm = number("storm", 1_000);
        int stormSeconds = number("storm-seconds", 10);
        URI edge = URI.create(options.getOrDefault("edge", "ws://127.0.0.1:8765/ws"));
        Path out = Path.of(options.getOrDefault("out", "fleet-bench/target/dashboard.json"));
        Path work = Files.createTempDirectory("dashboard-bench");
        Map<String, Object> result = new LinkedHashMap<>();

        long provisioning = System.nanoTime();
        String organization = "dash-" + UUID.randomUUID().toString().substring(0, 6);
        List<SimulatedFleet.Member> members = ControlApi.provision(api, organization, registered);
        System.out.printf("created %,d orchestrators through the API in %.1f s%n", registered,
                (System.nanoTime() - provisioning) / 1e9);
        try (SimulatedFleet probe = new SimulatedFleet(edge)) {
            probe.awaitEdgeKnows(members.get(registered - 1), Duration.ofSeconds(120));
        }
        try (FleetWorkers workers = new FleetWorkers(work); Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.getOrDefault("kafka", "127.0.0.1:9092")))) {
            int held = 0;
            for (int offset = 0; offset < connected; offset += perWorker) {
                held += workers.start(members.subList(offset, Math.min(connected, offset + perWorker)), 10, edge);
            }
            int connectedCount = held;
            awaitCounts(organization, "every held session ACTIVE", counts -> counts.get("ACTIVE") >= connectedCount);
            System.out.printf("%,d sessions held in %d client processes; control-api counts %s%n", held, workers.size(),
                    api.summary().counts());
            result.put("registered", registered);
            result.put("connected", held);

            Map<String, String> environment = new HashMap<>(Map.of(
                    "DASHBOARD_URL", options.getOrDefault("dashboard", options.getOrDefault("api", "http://127.0.0.1:8080")),
                    "ADMIN_TOKEN", StackToken.ADMIN.from(options), "DASHBOARDS", Integer.toString(number("dashboards", 5))));
            if (options.containsKey("views")) {
                environment.put("DASHBOARD_VIEWS", options.get("views").replace("{organization}", organization));
            }
            Conversation browser = Conversation.start("dashboards", List.of("node",
                    Path.of(options.getOrDefault("frontend", "frontend"), "bench", "dashboard.bench.mjs").toString()),
                    environment, work.resolve("dashboards.log"));
            result.put("firstRows", parse(browser.await("READY ")));

            Cpu cpu = new Cpu();
            browser.ask("MARK quiet", "MARKED");
            TimeUnit.SECONDS.sleep(number("quiet", 10));
            result.put("cpuQuiet", cpu.sinceLast());

            long transitionsBefore = transitions(admin);
            browser.ask("MARK storm", "MARKED");
            long stormStarted = System.nanoTime();
            Storm stormed = storm(members.subList(held, registered), storm, Duration.ofSeconds(stormSeconds));
            int touched = stormed.orchestrators();
            awaitCounts(organization, "the storm's orchestrators all INACTIVE, the held ones ACTIVE",
                    counts -> counts.get("ACTIVE") == connectedCount && counts.get("INACTIVE") == touched);
            double settledSeconds = (System.nanoTime() - stormStarted) / 1e9;
            browser.ask("MARK settled", "MARKED");
            long transitions = transitions(admin) - transitionsBefore;
            Map<String, Object> stormResult = new LinkedHashMap<>();
            stormResult.put("orchestrators", touched);
            stormResult.put("transitions", transitions);
            stormResult.put("seconds", stormed.seconds());
            stormResult.put("transitionsPerSecond", transitions / stormed.seconds());
            stormResult.put("settledSeconds", settledSeconds);
            stormResult.put("cpu", cpu.sinceLast());
            result.put("storm", stormResult);

            result.put("countsShown", parse(browser.ask("CHECK", "CHECKED ")));
            result.put("dashboards", parse(browser.ask("REPORT", "RESULT ")));
            browser.tell("STOP");
            browser.awaitExit(Duration.ofSeconds(30));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        String json = Json.events().writerWithDefaultPrettyPrinter().writeValueAsString(result);
        Files.writeString(out, json);
        System.out.println(json);
        System.out.println("written " + out);
    }

    /**
     * Every 100 ms, sessions open for some of these orchestrators (each turns ACTIVE) and close
     * cleanly for those opened a second before (each turns INACTIVE), {@code perSecond} of the two
     * together every second; at the end the last ones opened close.
     *
     * @return how many orchestrators took part, and how long from the first session opened to the last closed
     */
    private Storm storm(List<SimulatedFleet.Member> quiet, int perSecond, Duration length) throws Exception {
        int perTick = Math.max(1, perSecond / 10);
        Deque<List<String>> open = new ArrayDeque<>();
        int next = 0;
        try (KafkaProducer<String, SessionEvent> edge = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getOrDefault("kafka", "127.0.0.1:9092"),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                Topics.SESSION_EVENTS.keySerde().serializer(), Topics.SESSION_EVENTS.valueSerde().serializer())) {
            long started = System.nanoTime();
            long tick = started;
            for (long end = tick + length.toNanos(); tick < end; tick += TimeUnit.MILLISECONDS.toNanos(100)) {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, tick - System.nanoTime()));
                List<String> closing = open.size() == 10 ? open.removeFirst() : List.of();
                closing.forEach(id -> publish(edge, id, false));
                List<String> opening = new ArrayList<>();
                for (; opening.size() < perTick - closing.size() && next < quiet.size(); next++) {
                    opening.add(quiet.get(next).id());
                }
                opening.forEach(id -> publish(edge, id, true));
                open.addLast(opening);
            }
            open.forEach(batch -> batch.forEach(id -> publish(edge, id, false)));
            edge.flush();
            return new Storm(next, (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * @param orchestrators how many took part
     * @param seconds       from the first session opened to the last one closed, acknowledged
     */
    private record Storm(int orchestrators, double seconds) {
    }

    private static void publish(KafkaProducer<String, SessionEvent> edge, String id, boolean connected) {
        String session = "storm-" + id;
        Instant now = Instant.now();
        edge.send(new ProducerRecord<>(Topics.SESSION_EVENTS.name(), id, connected
                ? SessionEvent.connected(id, session, STORM_EDGE, now, null)
                : SessionEvent.disconnected(id, session, STORM_EDGE, now, 1000, SessionEvent.ClosedBy.ORCHESTRATOR, "stopping")));
    }

    /** Waits, up to 2 minutes, until the organization's counts of ACTIVE and INACTIVE orchestrators pass the test. */
    private void awaitCounts(String organization, String what, Predicate<Map<String, Long>> test) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (Map<String, Long> counts = counts(organization); !test.test(counts); counts = counts(organization)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " within 2 minutes: " + counts);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private Map<String, Long> counts(String organization) {
        return Map.of("ACTIVE", api.instances(organization, "ACTIVE", 0, 1).total(),
                "INACTIVE", api.instances(organization, "INACTIVE", 0, 1).total());
    }

    /** Transitions recorded on their topic so far. */
    private static long transitions(Admin admin) throws Exception {
        return FleetBench.endOffsets(admin, Topics.LIVENESS_TRANSITIONS.name()).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Object parse(String answer) {
        return Json.events().readValue(answer.substring(answer.indexOf(' ') + 1), Object.class);
    }

    private int number(String option, int fallback) {
        return Integer.parseInt(options.getOrDefault(option, Integer.toString(fallback)));
    }

    /**
     * Where the machine's CPU went between samples, in cores busy on average (1.0 is one core all the
     * time): the whole machine's (from {@code /proc/stat}), control-api's processes' and the
     * browser's (every Chromium process).
     */
    private static final class Cpu {

        private long at = System.nanoTime();
        private long[] machine;
        private long controlApi = used("control-api-exec.jar");
        private long browser = used("chromium");

        Cpu() throws IOException {
            machine = machine();
        }

        Map<String, Double> sinceLast() throws IOException {
            long now = System.nanoTime();
            long[] machineNow = machine();
            long controlApiNow = used("control-api-exec.jar");
            long browserNow = used("chromium");
            double cores = Runtime.getRuntime().availableProcessors();
            long total = machineNow[0] - machine[0];
            Map<String, Double> busy = new LinkedHashMap<>();
            busy.put("machine", total == 0 ? 0 : cores * (total - (machineNow[1] - machine[1])) / total);
            busy.put("controlApi", (double) (controlApiNow - controlApi) / (now - at));
            busy.put("browser", (double) (browserNow - browser) / (now - at));
            at = now;
            machine = machineNow;
            controlApi = controlApiNow;
            browser = browserNow;
            return busy;
        }

        /** CPU time of every process here whose command line holds {@code name}, in nanoseconds. */
        private static long used(String name) {
            return ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains(name))
                    .mapToLong(process -> process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
        }

        /** The machine's CPU time so far, all and idle (with I/O wait), in ticks. */
        private static long[] machine() throws IOException {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
        }
    }
}
