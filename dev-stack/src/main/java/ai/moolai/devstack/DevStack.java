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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import ai.moolai.admin.Instance;
import ai.moolai.process.ChildProcess;
import ai.moolai.process.Log;
import org.apache.kafka.common.Uuid;

/**
 * Runs the whole system on one machine: a real Kafka broker, the prepared database, and each
 * service as its own process, each kept running: one that dies is restarted with backoff, and the
 * console says so. Ctrl-C stops everything it started, services first, the broker last.
 * Data (broker storage, logs, the admin token) lives in {@code DEV_STACK_DATA}, default
 * {@code .dev-stack/}, and is reused by the next run. The end-to-end suite runs the same stack on free ports.
 *
 * <p>With {@code --cluster} ({@link Topology#CLUSTER}) it runs three brokers, two instances of every
 * service and HAProxy in front of the edges and the control-apis, with the production example's
 * configuration ({@code deploy/haproxy/haproxy.cfg}), on the same public ports.
 */
public final class DevStack implements AutoCloseable {

    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** The services in start order: the edge last, once desired state and liveness are being served. */
    public static final List<String> SERVICES = List.of("control-api", "liveness-stream", "report-ingest", "ws-edge");

    /** The services HAProxy stands in front of, on their own public ports, when there are several of each. */
    static final List<String> BALANCED = List.of("control-api", "ws-edge");

    /**
     * How many of each run.
     *
     * @param brokers   Kafka brokers, each also a KRaft controller
     * @param instances instances of each service; with more than one, HAProxy stands in front of the
     *                  edges and the control-apis
     */
    public record Topology(int brokers, int instances) {

        /** One broker, one instance of each service. */
        public static final Topology SINGLE = new Topology(1, 1);
        /** {@code --cluster}: three brokers, two instances of each service, HAProxy in front. */
        public static final Topology CLUSTER = new Topology(3, 2);

        public boolean balanced() {
            return instances > 1;
        }

        /** A service's instances: the service's own name when it runs once, else {@code <service>-1}, {@code <service>-2}… */
        public List<String> instancesOf(String service) {
            return instances == 1 ? List.of(service)
                    : IntStream.rangeClosed(1, instances).mapToObj(n -> service + "-" + n).toList();
        }

        /** The brokers' names: {@code kafka} alone, else {@code kafka-1}, {@code kafka-2}… */
        public List<String> brokerNames() {
            return brokers == 1 ? List.of("kafka") : IntStream.rangeClosed(1, brokers).mapToObj(n -> "kafka-" + n).toList();
        }

        /** Every service instance, in start order. */
        public List<String> serviceInstances() {
            return SERVICES.stream().flatMap(service -> instancesOf(service).stream()).toList();
        }
    }

    /** A broker's ports. */
    public record BrokerPorts(int client, int controller) {
    }

    /**
     * Where the stack listens.
     *
     * @param brokers    each broker's ports
     * @param services   each service instance's HTTP port (the edge's also serves its WebSocket), and
     *                   where there are several, the balancer's public port under the service's name
     * @param management each service instance's management port: its probes, health and metrics
     */
    public record Ports(List<BrokerPorts> brokers, Map<String, Integer> services, Map<String, Integer> management) {

        /**
         * The documented ports: 9092, 9093, 8080 (dashboard and API), 8081, 8082, 8765 (orchestrators),
         * and each service's management port, its own port with 9 for 8 (9080, 9081, 9082, 9765). In a
         * cluster the balancer takes 8080 and 8765, instance n takes each of its service's ports plus
         * n × 10000 (control-api-1 on 18080 and 19080), and broker n the broker's plus (n − 1) × 10000
         * (kafka-1 on 9092 and 9093, kafka-2 on 19092 and 19093).
         */
        public static Ports defaults(Topology topology) {
            Map<String, Integer> publicPorts = Map.of("control-api", 8080, "liveness-stream", 8081, "report-ingest", 8082,
                    "ws-edge", 8765);
            Map<String, Integer> services = new HashMap<>();
            Map<String, Integer> management = new HashMap<>();
            publicPorts.forEach((service, port) -> {
                List<String> instances = topology.instancesOf(service);
                for (int n = 0; n < instances.size(); n++) {
                    int shift = topology.balanced() ? (n + 1) * 10_000 : 0;
                    services.put(instances.get(n), port + shift);
                    management.put(instances.get(n), port + 1000 + shift);
                }
                if (topology.balanced() && BALANCED.contains(service)) {
                    services.put(service, port);
                }
            });
            List<BrokerPorts> brokers = IntStream.range(0, topology.brokers())
                    .mapToObj(n -> new BrokerPorts(9092 + n * 10_000, 9093 + n * 10_000)).toList();
            return new Ports(brokers, services, management);
        }

        /** Distinct ports free now, for a stack beside another (see {@link FreePorts}). */
        public static Ports free(Topology topology) {
            Ports defaults = defaults(topology);
            Set<Integer> chosen = new HashSet<>();
            int needed = defaults.services().size() + defaults.management().size() + 2 * topology.brokers();
            while (chosen.size() < needed) {
                chosen.add(FreePorts.next());
            }
            Iterator<Integer> ports = chosen.iterator();
            Map<String, Integer> services = new HashMap<>();
            Map<String, Integer> management = new HashMap<>();
            defaults.services().keySet().forEach(name -> services.put(name, ports.next()));
            defaults.management().keySet().forEach(name -> management.put(name, ports.next()));
            List<BrokerPorts> brokers = IntStream.range(0, topology.brokers())
                    .mapToObj(n -> new BrokerPorts(ports.next(), ports.next())).toList();
            return new Ports(brokers, services, management);
        }

        /** A service instance's HTTP port, or the balancer's public port of a balanced service. */
        public int of(String name) {
            return services.get(name);
        }

        public int managementOf(String instance) {
            return management.get(instance);
        }

        Stream<Integer> all() {
            return Stream.of(services.values().stream(), management.values().stream(),
                    brokers.stream().flatMap(broker -> Stream.of(broker.client(), broker.controller())))
                    .flatMap(ports -> ports);
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
     *                        reaches the broker like every service (always so in a cluster)
     * @param topology        how many brokers and instances of each service run
     */
    public record Settings(Path root, Path data, DatabaseUrl database, Ports ports, String adminToken,
                           String managementToken, Map<String, String> environment, EdgeKafka edgeKafka,
                           Topology topology) {

        public Settings {
            if (edgeKafka != null && topology.brokers() != 1) {
                throw new IllegalArgumentException("a listener for the edge alone needs a single broker");
            }
        }

        /**
         * As {@code ./dev-stack/run} runs it: the documented ports and the seed's variables; the
         * admin token is {@code DEV_BEARER_TOKEN}, the management token {@code MANAGEMENT_TOKEN}, or
         * else the ones kept in the data folder (see {@link KeptToken}). A cluster keeps its data
         * beside a single stack's, in {@code cluster/}.
         */
        static Settings fromEnvironment(Topology topology) throws IOException {
            Path root = Path.of("").toAbsolutePath();
            Path data = Path.of(env("DEV_STACK_DATA", root.resolve(".dev-stack").toString())).toAbsolutePath();
            Path stackData = topology.balanced() ? data.resolve("cluster") : data;
            return new Settings(root, stackData,
                    DatabaseUrl.parse(System.getenv("DATABASE_URL"), System.getenv("DATABASE_USER"),
                            System.getenv("DATABASE_PASSWORD")),
                    Ports.defaults(topology), KeptToken.ADMIN.fromEnvironment(data),
                    KeptToken.MANAGEMENT.fromEnvironment(data), Map.of(), null, topology);
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
    private final Map<String, KafkaBroker> brokers = new LinkedHashMap<>();
    /** The id new broker storage is formatted with: the cluster's, or a new one after its data is wiped. */
    private volatile String clusterId;
    /** The key every control-api of a cluster seals event tickets with, new for each stack. */
    private final String eventTicketKey = KeptToken.newSecret();

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
        Topology topology = List.of(args).contains("--cluster") ? Topology.CLUSTER : Topology.SINGLE;
        DevStack stack = new DevStack(Settings.fromEnvironment(topology));
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

    /**
     * Prepares the database, starts the brokers, then each service, waiting for its readiness (the
     * instances of one service together), then the balancer if there is one.
     */
    public void start() throws Exception {
        for (String service : SERVICES) {
            if (!Files.isRegularFile(jar(service))) {
                throw new IllegalStateException(jar(service) + " is missing: build first (./dev-stack/run does)");
            }
        }
        Topology topology = settings.topology();
        if (topology.balanced() && ChildProcess.onPath("haproxy").isEmpty()) {
            throw new IllegalStateException("a cluster runs HAProxy in front of its services, and haproxy is not "
                    + "installed (Debian: apt-get install haproxy)");
        }
        settings.ports().all().forEach(DevStack::requireFree);

        DatabaseSetup database = new DatabaseSetup(settings.database());
        if (!database.answers()) {
            if (!settings.database().isLocal()) {
                throw new IllegalStateException("no PostgreSQL answers on " + settings.database().host() + ":"
                        + settings.database().port() + ": start it, or point DATABASE_URL at one that runs");
            }
            superviseTogether(List.of("postgres"), name -> () ->
                    EmbeddedDatabase.start(settings.database(), settings.data().resolve("postgres"), logs(name)));
        }
        database.prepare();
        List<String> names = topology.brokerNames();
        for (int node = 1; node <= names.size(); node++) {
            String name = names.get(node - 1);
            brokers.put(name, new KafkaBroker(node, settings.ports().brokers(), settings.data().resolve(name),
                    kafkaClasspath(settings.root()), settings.edgeKafka(), () -> clusterId));
        }
        clusterId = formattedClusterId().orElseGet(() -> Uuid.randomUuid().toString());
        superviseTogether(names, name -> () -> brokers.get(name).start(name, logs(name)));
        for (String service : SERVICES) {
            superviseTogether(topology.instancesOf(service), instance -> () -> startService(service, instance));
        }
        if (topology.balanced()) {
            superviseTogether(List.of("haproxy"), name -> this::startBalancer);
        }
    }

    /** Starts each at once and waits until all are ready: brokers must meet to form a cluster. */
    private void superviseTogether(List<String> names, Function<String, Supervised.Starter> starters) throws Exception {
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (String name : names) {
            Supervised process = new Supervised(name, starters.apply(name), restarts);
            supervised.put(name, process);
            starting.add(CompletableFuture.runAsync(() -> {
                try {
                    process.start();
                } catch (Exception e) {
                    throw new CompletionException(name + " did not start: " + e.getMessage(), e);
                }
            }, DevStack::threadOfItsOwn));
        }
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private Optional<String> formattedClusterId() throws IOException {
        for (String name : brokers.keySet()) {
            Optional<String> id = KafkaBroker.formattedClusterId(settings.data().resolve(name));
            if (id.isPresent()) {
                return id;
            }
        }
        return Optional.empty();
    }

    /** Stops a service (SIGTERM, its graceful shutdown) and starts it again, waiting for its readiness. */
    public void restart(String service) throws Exception {
        supervised.get(service).restart(STOP_GRACE);
    }

    /**
     * Kills a broker or a service instance ({@code kill -9}) and lets it be restarted after {@code down}
     * at the earliest; {@link #running} tells when it is back.
     */
    public void crash(String name, Duration down) throws InterruptedException {
        supervised.get(name).crash(down, () -> { });
    }

    /**
     * Kills the broker and puts an empty one in its place after {@code down}, as after a disaster or a
     * move to a new cluster: its data is deleted, the new one formatted and given the topics afresh.
     */
    public void replaceBroker(Duration down) throws InterruptedException {
        if (brokers.size() != 1) {
            throw new IllegalStateException("only a single broker is replaced by an empty one");
        }
        supervised.get("kafka").crash(down, () -> {
            brokers.get("kafka").deleteData();
            clusterId = Uuid.randomUuid().toString();
        });
    }

    /** The broker's or a service's process once it is running and ready (at once when it is). */
    public CompletableFuture<ChildProcess> running(String name) {
        return supervised.get(name).running();
    }

    private ChildProcess startService(String service, String instance) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers(),
                "JDBC_DATABASE_URL", settings.database().jdbcUrl(),
                "DATABASE_USER", settings.database().user(),
                "DATABASE_PASSWORD", settings.database().password(),
                "DEV_BEARER_TOKEN", settings.adminToken(),
                "MANAGEMENT_TOKEN", settings.managementToken(),
                "FRONTEND_DIST", settings.root().resolve("frontend").resolve("dist") + "/",
                "LIVENESS_STATE_DIR", settings.data().resolve("liveness-state" + instance.substring(service.length())).toString()));
        if (settings.topology().balanced()) {
            environment.putAll(behindTheBalancer(service));
        }
        if (service.equals("control-api")) {
            environment.put("PIPELINE_SERVICES", pipelineServices());
        }
        environment.putAll(settings.environment());
        if (service.equals("ws-edge") && settings.edgeKafka() != null) {
            environment.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + settings.edgeKafka().advertisedPort());
        }
        ChildProcess process = ChildProcess.start(instance, List.of(ChildProcess.jdkTool("java"),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-jar", jar(service).toString(),
                "--server.port=" + settings.ports().of(instance),
                "--management.server.port=" + settings.ports().managementOf(instance)), environment, logs(instance));
        process.awaitReady(() -> isReady(settings.ports().managementOf(instance)), Duration.ofSeconds(180));
        return process;
    }

    /** Every other service instance's management URL, for control-api's pipeline health page to ask. */
    private String pipelineServices() {
        return SERVICES.stream().filter(service -> !service.equals("control-api"))
                .flatMap(service -> settings.topology().instancesOf(service).stream()
                        .map(instance -> service + "=http://127.0.0.1:" + settings.ports().managementOf(instance)))
                .collect(Collectors.joining(","));
    }

    /**
     * What a service needs with several of its kind behind HAProxy, unless this process's environment
     * says otherwise: the control-apis one event-ticket key, so that any of them opens the stream of
     * a ticket another issued; the edges a per-address budget (of upgrades, and of waiting sessions)
     * for a whole fleet, since every orchestrator reaches them from HAProxy's address.
     */
    private Map<String, String> behindTheBalancer(String service) {
        Map<String, String> defaults = switch (service) {
            case "control-api" -> Map.of("EVENT_TICKET_KEY", eventTicketKey);
            case "ws-edge" -> Map.of("EDGE_UPGRADES_PER_ADDRESS_PER_SECOND", "2000", "EDGE_UPGRADE_BURST_PER_ADDRESS", "20000",
                    "EDGE_WAITING_ROOM_PER_ADDRESS", "1000");
            default -> Map.of();
        };
        Map<String, String> unset = new HashMap<>();
        defaults.forEach((name, value) -> {
            if (System.getenv(name) == null) {
                unset.put(name, value);
            }
        });
        return unset;
    }

    /**
     * HAProxy with the production example's configuration, in front of every edge and control-api on
     * their public ports, ready once it has a ready instance of each behind it.
     */
    private ChildProcess startBalancer() throws Exception {
        Map<String, String> environment = new HashMap<>();
        for (String service : BALANCED) {
            String prefix = service.toUpperCase(Locale.ROOT).replace('-', '_');
            environment.put(service.equals("ws-edge") ? "EDGE_BIND" : "API_BIND", "127.0.0.1:" + settings.ports().of(service));
            List<String> instances = settings.topology().instancesOf(service);
            for (int n = 1; n <= instances.size(); n++) {
                environment.put(prefix + "_" + n, "127.0.0.1:" + settings.ports().of(instances.get(n - 1)));
                environment.put(prefix + "_" + n + "_CHECK_PORT", String.valueOf(settings.ports().managementOf(instances.get(n - 1))));
            }
        }
        // Every orchestrator of this machine comes from 127.0.0.1: its per-source budget is the edge's.
        environment.put("UPGRADES_PER_SOURCE", "100000");
        // Within the 20,000 open files a process may have here: each connection holds two.
        environment.put("HAPROXY_MAXCONN", "9000");
        ChildProcess balancer = ChildProcess.start("haproxy", List.of(ChildProcess.onPath("haproxy").orElseThrow(), "-db",
                "-f", settings.root().resolve("deploy/haproxy/haproxy.cfg").toString()), environment, logs("haproxy"));
        balancer.awaitReady(() -> answersThroughBalancer(apiUrl()) && answersThroughBalancer(
                URI.create("http://127.0.0.1:" + settings.ports().of("ws-edge") + "/ws")), Duration.ofSeconds(30));
        return balancer;
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
     * stack. Without a token ({@code null}) it enrols. {@code more} adds to or overrides its environment.
     */
    public ChildProcess startAgent(String orchestratorId, String token, Path home, Map<String, String> more)
            throws IOException {
        Files.createDirectories(home);
        Map<String, String> environment = new HashMap<>(Map.of(
                "ORCHESTRATOR_ID", orchestratorId,
                "CONTROLLER_WS_URL", edgeUrl().toString(),
                "ORCHESTRATOR_ENV_FILE", home.resolve(".env").toString()));
        if (token != null) {
            environment.put("ORCHESTRATOR_TOKEN", token);
        }
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
                settings.topology().serviceInstances().stream()
                        .map(instance -> instance + " " + settings.ports().managementOf(instance))
                        .collect(Collectors.joining(", ")),
                KeptToken.MANAGEMENT.source(settings.data(), settings.managementToken()), kafkaBootstrapServers(),
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
        return KafkaBroker.bootstrapServers(settings.ports().brokers());
    }

    public Topology topology() {
        return settings.topology();
    }

    /** A service instance's HTTP address, or the balancer's for a balanced service. */
    public URI url(String name) {
        return URI.create("http://127.0.0.1:" + settings.ports().of(name));
    }

    /** A service instance's management address: its probes, health and metrics. */
    public URI managementUrl(String instance) {
        return URI.create("http://127.0.0.1:" + settings.ports().managementOf(instance));
    }

    /** A running broker's, service instance's or the balancer's process id. */
    public long pid(String name) {
        return supervised.get(name).current().process().pid();
    }

    /** Stops everything it started, in reverse order: agents, the balancer, the services, the brokers last. */
    @Override
    public void close() {
        restarts.shutdownNow();
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop(STOP_GRACE);
        }
        List<Supervised> kept = new ArrayList<>(supervised.values());
        for (int i = kept.size() - 1; i >= 0; i--) {
            if (!brokers.containsKey(kept.get(i).name())) {
                kept.get(i).stop(STOP_GRACE);
            }
        }
        // The brokers together: a cluster's last node would wait in vain for a quorum to let it go.
        CompletableFuture.allOf(kept.stream().filter(process -> brokers.containsKey(process.name()))
                .map(broker -> CompletableFuture.runAsync(() -> broker.stop(STOP_GRACE), DevStack::threadOfItsOwn))
                .toArray(CompletableFuture[]::new)).join();
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

    /** Blocking work that must run alongside its siblings, not queue behind them on a shared pool. */
    private static void threadOfItsOwn(Runnable work) {
        new Thread(work, "dev-stack-together").start();
    }

    /** The balancer answers, with something behind it: not its own 503 of a backend with no server up. */
    private static boolean answersThroughBalancer(URI url) throws IOException, InterruptedException {
        return status(url) != 503;
    }

    private static boolean isReady(int managementPort) throws IOException, InterruptedException {
        return status(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")) == 200;
    }

    /** The status a GET of the address answers with, within 2 s. */
    private static int status(URI url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
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
