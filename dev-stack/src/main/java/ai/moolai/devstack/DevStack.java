package ai.moolai.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

import ai.moolai.admin.Instance;
import ai.moolai.process.ChildProcess;
import ai.moolai.process.Log;
import org.springframework.test.util.TestSocketUtils;

/**
 * Runs the whole system on one machine: a real Kafka broker, the prepared database, and each
 * service as its own process, each kept running: one that dies is restarted with backoff, and the
 * console says so. Ctrl-C stops everything it started, services first, the broker last.
 * Data (broker storage, logs, the admin token) lives in {@code DEV_STACK_DATA}, default
 * {@code .dev-stack/}, and is reused by the next run. The end-to-end suite runs the same stack on free ports.
 */
public final class DevStack implements AutoCloseable {

    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** The services in start order: the edge last, once desired state and liveness are being served. */
    public static final List<String> SERVICES = List.of("control-api", "liveness-stream", "report-ingest", "ws-edge");

    /**
     * Where the stack listens.
     *
     * @param kafka           the broker's client port
     * @param kafkaController the broker's KRaft controller port
     * @param services        each service's HTTP port (the edge's also serves its WebSocket)
     * @param management      each service's management port: its probes, health and metrics
     */
    public record Ports(int kafka, int kafkaController, Map<String, Integer> services, Map<String, Integer> management) {

        /**
         * The documented ports: 9092, 9093, 8080 (dashboard and API), 8081, 8082, 8765 (orchestrators),
         * and each service's management port, its own port with 9 for 8 (9080, 9081, 9082, 9765).
         */
        public static final Ports DEFAULT = new Ports(9092, 9093,
                Map.of("control-api", 8080, "liveness-stream", 8081, "report-ingest", 8082, "ws-edge", 8765),
                Map.of("control-api", 9080, "liveness-stream", 9081, "report-ingest", 9082, "ws-edge", 9765));

        /** Distinct ports free now, for a stack beside another. */
        public static Ports free() {
            Set<Integer> chosen = new HashSet<>();
            while (chosen.size() < 2 * SERVICES.size() + 2) {
                chosen.add(TestSocketUtils.findAvailableTcpPort());
            }
            Iterator<Integer> ports = chosen.iterator();
            Map<String, Integer> services = new HashMap<>();
            Map<String, Integer> management = new HashMap<>();
            for (String service : SERVICES) {
                services.put(service, ports.next());
                management.put(service, ports.next());
            }
            return new Ports(ports.next(), ports.next(), services, management);
        }

        public int of(String service) {
            return services.get(service);
        }

        public int managementOf(String service) {
            return management.get(service);
        }
    }

    /**
     * How a stack runs.
     *
     * @param root            the project's root, holding each module's build
     * @param data            broker storage, Streams state, logs and demo agents' homes
     * @param database        the controller's database
     * @param ports           where everything listens
     * @param adminToken      control-api's admin bearer token
     * @param managementToken every service's management token, for health details and metrics
     * @param environment     more variables for every service (e.g. {@code HEARTBEAT_TTL_SEC})
     * @param edgeKafka       a listener of the broker for ws-edge alone, or {@code null}: the edge then
     *                        reaches the broker like every service
     */
    public record Settings(Path root, Path data, DatabaseUrl database, Ports ports, String adminToken,
                           String managementToken, Map<String, String> environment, EdgeKafka edgeKafka) {

        /**
         * As {@code ./dev-stack/run} runs it: the documented ports and the seed's variables; the
         * admin token is {@code DEV_BEARER_TOKEN}, the management token {@code MANAGEMENT_TOKEN}, or
         * else the ones kept in the data folder (see {@link KeptToken}).
         */
        static Settings fromEnvironment() throws IOException {
            Path root = Path.of("").toAbsolutePath();
            Path data = Path.of(env("DEV_STACK_DATA", root.resolve(".dev-stack").toString())).toAbsolutePath();
            return new Settings(root, data,
                    DatabaseUrl.parse(System.getenv("DATABASE_URL"), System.getenv("DATABASE_USER"),
                            System.getenv("DATABASE_PASSWORD")),
                    Ports.DEFAULT, KeptToken.ADMIN.fromEnvironment(data), KeptToken.MANAGEMENT.fromEnvironment(data),
                    Map.of(), null);
        }
    }

    /**
     * A listener of the broker that ws-edge alone uses, advertised at another port, where something
     * may stand between them (a proxy that cuts the edge off from Kafka while its sockets stay up).
     *
     * @param listenerPort   where the broker listens for the edge
     * @param advertisedPort where the edge is told to connect, for the bootstrap and every request
     */
    public record EdgeKafka(int listenerPort, int advertisedPort) {
    }

    private final Settings settings;
    /** What runs beside the stack (agents, tools), stopped with it. */
    private final List<ChildProcess> started = new ArrayList<>();
    /** The broker and the services, in start order, kept running. */
    private final Map<String, Supervised> supervised = new LinkedHashMap<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "dev-stack-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private KafkaBroker kafka;

    public DevStack(Settings settings) {
        this.settings = settings;
    }

    /** {@code --demo N}: start N demo orchestrators (real agents) once the services are up. */
    static int demoCount(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--demo")) {
                return i + 1 < args.length ? Integer.parseInt(args[i + 1]) : 3;
            }
        }
        return 0;
    }

    public static void main(String[] args) throws Exception {
        DevStack stack = new DevStack(Settings.fromEnvironment());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "dev-stack-stop"));
        try {
            stack.start();
            int demo = demoCount(args);
            if (demo > 0) {
                stack.startDemo(demo);
            }
            stack.printSummary();
        } catch (Exception e) {
            System.err.println("\ndev-stack could not start: " + e.getMessage());
            System.exit(1);
        }
        stack.closed.await();
    }

    /** Prepares the database, starts the broker, then each service, waiting for its readiness. */
    public void start() throws Exception {
        for (String service : SERVICES) {
            if (!Files.isRegularFile(jar(service))) {
                throw new IllegalStateException(jar(service) + " is missing: build first (./dev-stack/run does)");
            }
        }
        requireFree(settings.ports().kafka());
        requireFree(settings.ports().kafkaController());
        settings.ports().services().values().forEach(DevStack::requireFree);
        settings.ports().management().values().forEach(DevStack::requireFree);

        new DatabaseSetup(settings.database()).prepare();
        kafka = new KafkaBroker(settings.data().resolve("kafka"), kafkaClasspath(settings.root()), settings.ports().kafka(),
                settings.ports().kafkaController(), settings.edgeKafka());
        supervise("kafka", () -> kafka.start(logs("kafka")));
        for (String service : SERVICES) {
            supervise(service, () -> startService(service));
        }
    }

    private void supervise(String name, Supervised.Starter starter) throws Exception {
        Supervised process = new Supervised(name, starter, restarts);
        supervised.put(name, process);
        process.start();
    }

    /** Stops a service (SIGTERM, its graceful shutdown) and starts it again, waiting for its readiness. */
    public void restart(String service) throws Exception {
        supervised.get(service).restart(STOP_GRACE);
    }

    /**
     * Kills the broker or a service ({@code kill -9}) and lets it be restarted after {@code down} at
     * the earliest; {@link #running} tells when it is back.
     */
    public void crash(String name, Duration down) throws InterruptedException {
        supervised.get(name).crash(down, () -> { });
    }

    /**
     * Kills the broker and puts an empty one in its place after {@code down}, as after a disaster or a
     * move to a new cluster: its data is deleted, the new one formatted and given the topics afresh.
     */
    public void replaceBroker(Duration down) throws InterruptedException {
        supervised.get("kafka").crash(down, kafka::deleteData);
    }

    /** The broker's or a service's process once it is running and ready (at once when it is). */
    public CompletableFuture<ChildProcess> running(String name) {
        return supervised.get(name).running();
    }

    private ChildProcess startService(String service) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "JDBC_DATABASE_URL", settings.database().jdbcUrl(),
                "DATABASE_USER", settings.database().user(),
                "DATABASE_PASSWORD", settings.database().password(),
                "DEV_BEARER_TOKEN", settings.adminToken(),
                "MANAGEMENT_TOKEN", settings.managementToken(),
                "FRONTEND_DIST", settings.root().resolve("frontend").resolve("dist") + "/",
                "LIVENESS_STATE_DIR", settings.data().resolve("liveness-state").toString()));
        environment.putAll(settings.environment());
        if (service.equals("ws-edge") && settings.edgeKafka() != null) {
            environment.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + settings.edgeKafka().advertisedPort());
        }
        ChildProcess process = ChildProcess.start(service, List.of(ChildProcess.jdkTool("java"),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-jar", jar(service).toString(),
                "--server.port=" + settings.ports().of(service),
                "--management.server.port=" + settings.ports().managementOf(service)), environment, logs(service));
        process.awaitReady(() -> isReady(settings.ports().managementOf(service)), Duration.ofSeconds(120));
        return process;
    }

    /** Demo orchestrators: real agents, provisioned through the API, heartbeating and reporting. */
    void startDemo(int count) throws Exception {
        agentJar();
        var members = new DemoFleet(apiUrl(), settings.adminToken()).provision(count);
        for (Instance.WithToken member : members) {
            startAgent(member.orchestratorId(), member.token(), settings.data().resolve("demo").resolve(member.orchestratorId()),
                    Map.of("AGENT_REPORT_INTERVAL_SEC", "5"));
        }
        Log.info("demo", members.size() + " demo orchestrator(s) started (organization 'demo')");
    }

    /**
     * Starts the runnable agent ({@code orchestrator-agent.jar}) for an orchestrator as a process of
     * its own, connected to this stack's edge, with its {@code .env} in {@code home}; stopped with the
     * stack. {@code more} adds to or overrides its environment.
     */
    public ChildProcess startAgent(String orchestratorId, String token, Path home, Map<String, String> more)
            throws IOException {
        Files.createDirectories(home);
        Map<String, String> environment = new HashMap<>(Map.of(
                "ORCHESTRATOR_ID", orchestratorId,
                "ORCHESTRATOR_TOKEN", token,
                "CONTROLLER_WS_URL", edgeUrl().toString(),
                "ORCHESTRATOR_ENV_FILE", home.resolve(".env").toString()));
        environment.putAll(more);
        return start(orchestratorId, List.of(ChildProcess.jdkTool("java"), "-Xmx64m", "-jar", agentJar().toString()),
                environment);
    }

    /**
     * Starts a program beside the stack, logging to {@code logs/<name>.log} in its data folder, and
     * stopped with it.
     */
    public ChildProcess start(String name, List<String> command, Map<String, String> environment) throws IOException {
        ChildProcess child = ChildProcess.start(name, command, environment, logs(name));
        started.add(child);
        return child;
    }

    private Path agentJar() {
        Path agentJar = settings.root().resolve("orchestrator-agent/target/orchestrator-agent.jar");
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalStateException(agentJar + " is missing: build first (./dev-stack/run does)");
        }
        return agentJar;
    }

    private void printSummary() throws IOException {
        System.out.printf("""

                Mooli Controller is running.
                  Dashboard and admin API   %s
                  Admin token               %s (%s)
                  Orchestrators connect to  %s
                  Management ports          %s: /actuator/health/{liveness,readiness},
                                            the rest with the management token (%s)
                  Kafka                     %s
                  PostgreSQL                %s (as %s)
                  Logs                      %s
                Ctrl-C stops everything.
                %n""", apiUrl().toString().replace("127.0.0.1", "localhost"), settings.adminToken(),
                KeptToken.ADMIN.source(settings.data(), settings.adminToken()),
                edgeUrl().toString().replace("127.0.0.1", "localhost"),
                SERVICES.stream().map(service -> service + " " + settings.ports().managementOf(service))
                        .collect(Collectors.joining(", ")),
                KeptToken.MANAGEMENT.source(settings.data(), settings.managementToken()), kafka.bootstrapServers(),
                settings.database().jdbcUrl(), settings.database().user(), settings.data().resolve("logs"));
    }

    /** control-api: the dashboard and the admin API. */
    public URI apiUrl() {
        return url("control-api");
    }

    /** Where orchestrators connect. */
    public URI edgeUrl() {
        return URI.create("ws://127.0.0.1:" + settings.ports().of("ws-edge") + "/ws");
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** A service's HTTP address. */
    public URI url(String service) {
        return URI.create("http://127.0.0.1:" + settings.ports().of(service));
    }

    /** A service's management address: its probes, health and metrics. */
    public URI managementUrl(String service) {
        return URI.create("http://127.0.0.1:" + settings.ports().managementOf(service));
    }

    /** A running service's process id. */
    public long pid(String service) {
        return supervised.get(service).current().process().pid();
    }

    /** Stops everything it started, in reverse order: agents, the services, the broker last. */
    @Override
    public void close() {
        restarts.shutdownNow();
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop(STOP_GRACE);
        }
        List<Supervised> kept = new ArrayList<>(supervised.values());
        for (int i = kept.size() - 1; i >= 0; i--) {
            kept.get(i).stop(STOP_GRACE);
        }
        if (!started.isEmpty() || !kept.isEmpty()) {
            Log.info("dev-stack", "stopped");
        }
        started.clear();
        supervised.clear();
        closed.countDown();
    }

    private Path jar(String service) {
        return settings.root().resolve(service).resolve("target").resolve(service + "-exec.jar");
    }

    private Path logs(String name) {
        return settings.data().resolve("logs").resolve(name + ".log");
    }

    private static boolean isReady(int managementPort) throws IOException, InterruptedException {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }

    /** The broker's classpath: the launcher's runtime jars, which its build copies beside it. */
    private static String kafkaClasspath(Path root) {
        Path lib = root.resolve("dev-stack/target/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: build first (./dev-stack/run does)");
        }
        return lib + "/*";
    }

    private static void requireFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            // free
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is in use: is another stack (or service) running?");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
