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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the whole system on one machine: a real Kafka broker, the prepared database, and each
 * service as its own process. Ctrl-C stops everything it started, services first, the broker last.
 * Data (broker storage, logs) lives in {@code DEV_STACK_DATA}, default {@code .dev-stack/}, and is
 * reused by the next run.
 */
public final class DevStack {

    static final int KAFKA_PORT = 9092;
    static final int KAFKA_CONTROLLER_PORT = 9093;
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** The services in start order: the edge last, once desired state and liveness are being served. */
    static final List<Service> SERVICES = List.of(
            new Service("control-api", 8080),
            new Service("liveness-stream", 8081),
            new Service("report-ingest", 8082),
            new Service("ws-edge", 8765));

    private final Path root;
    private final Path data;
    private final List<ChildProcess> started = new ArrayList<>();
    private final List<ChildProcess> essential = new ArrayList<>();
    private final int demoOrchestrators;
    private volatile boolean stopping;

    DevStack(Path root, Path data, int demoOrchestrators) {
        this.root = root;
        this.data = data;
        this.demoOrchestrators = demoOrchestrators;
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
        Path root = Path.of("").toAbsolutePath();
        Path data = Path.of(env("DEV_STACK_DATA", root.resolve(".dev-stack").toString())).toAbsolutePath();
        DevStack stack = new DevStack(root, data, demoCount(args));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "dev-stack-stop"));
        try {
            stack.start();
        } catch (Exception e) {
            System.err.println("\ndev-stack could not start: " + e.getMessage());
            System.exit(1);
        }
        ChildProcess exited = stack.awaitAnyExit();
        if (stack.stopping) {
            return;
        }
        System.err.println("\n" + exited.name() + " exited with " + exited.process().exitValue()
                + "; stopping the stack. Its log ends:\n" + exited.tail());
        System.exit(1);
    }

    void start() throws Exception {
        DatabaseUrl database = DatabaseUrl.parse(System.getenv("DATABASE_URL"), System.getenv("DATABASE_USER"),
                System.getenv("DATABASE_PASSWORD"));
        List<Path> jars = SERVICES.stream().map(service -> service.jar(root)).toList();
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build first (./dev-stack/run does)");
            }
        }
        requireFree(KAFKA_PORT, KAFKA_CONTROLLER_PORT);
        SERVICES.forEach(service -> requireFree(service.port()));

        new DatabaseSetup(database).prepare();
        KafkaBroker kafka = new KafkaBroker(data.resolve("kafka"), kafkaClasspath(), KAFKA_PORT, KAFKA_CONTROLLER_PORT);
        essential.add(kafka.start(logs("kafka")));
        started.addAll(essential);

        Map<String, String> environment = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "JDBC_DATABASE_URL", database.jdbcUrl(),
                "DATABASE_USER", database.user(),
                "DATABASE_PASSWORD", database.password(),
                "FRONTEND_DIST", root.resolve("frontend").resolve("dist") + "/",
                "LIVENESS_STATE_DIR", data.resolve("liveness-state").toString());
        for (Service service : SERVICES) {
            ChildProcess process = ChildProcess.start(service.module(), List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-jar", service.jar(root).toString(),
                    "--server.port=" + service.port()), environment, logs(service.module()));
            started.add(process);
            essential.add(process);
            process.awaitReady(() -> isReady(service), Duration.ofSeconds(120));
        }
        if (demoOrchestrators > 0) {
            startDemo();
        }
        System.out.printf("""

                Mooli Controller is running.
                  Dashboard and admin API   http://localhost:8080
                  Admin token               %s
                  Orchestrators connect to  ws://localhost:8765/ws
                  Kafka                     %s
                  PostgreSQL                %s (as %s)
                  Logs                      %s
                Ctrl-C stops everything.
                %n""", env("DEV_BEARER_TOKEN", "fake-dev-token"), kafka.bootstrapServers(), database.jdbcUrl(), database.user(),
                data.resolve("logs"));
    }

    /** Demo orchestrators: real agents, provisioned through the API, heartbeating and reporting. */
    private void startDemo() throws Exception {
        Path agentJar = root.resolve("orchestrator-agent/target/orchestrator-agent.jar");
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalStateException(agentJar + " is missing: build first (./dev-stack/run does)");
        }
        var members = new DemoFleet(URI.create("http://127.0.0.1:8080"), env("DEV_BEARER_TOKEN", "fake-dev-token"))
                .provision(demoOrchestrators);
        for (DemoFleet.Member member : members) {
            Path home = data.resolve("demo").resolve(member.orchestratorId());
            Files.createDirectories(home);
            started.add(ChildProcess.start(member.orchestratorId(), List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-jar",
                    agentJar.toString()), Map.of(
                    "ORCHESTRATOR_ID", member.orchestratorId(),
                    "ORCHESTRATOR_TOKEN", member.token(),
                    "CONTROLLER_WS_URL", "ws://127.0.0.1:8765/ws",
                    "ORCHESTRATOR_ENV_FILE", home.resolve(".env").toString(),
                    "AGENT_REPORT_INTERVAL_SEC", "5"), logs(member.orchestratorId())));
        }
        Log.info("demo", members.size() + " demo orchestrator(s) started (organization 'demo')");
    }

    /** The first of the broker and the services to exit (a demo agent may come and go). */
    ChildProcess awaitAnyExit() {
        return (ChildProcess) CompletableFuture.anyOf(essential.stream()
                        .map(child -> child.process().onExit().thenApply(process -> child))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    void stop() {
        stopping = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop(STOP_GRACE);
        }
        if (!started.isEmpty()) {
            Log.info("dev-stack", "stopped");
        }
    }

    private Path logs(String name) {
        return data.resolve("logs").resolve(name + ".log");
    }

    private static boolean isReady(Service service) throws IOException, InterruptedException {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }

    /** The broker's classpath: the jars beside the launcher's jar, or the launcher's own classpath. */
    private static String kafkaClasspath() throws Exception {
        Path self = Path.of(DevStack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return Files.isRegularFile(self)
                ? self.resolveSibling("lib") + "/*"
                : System.getProperty("java.class.path");
    }

    private static void requireFree(int... ports) {
        for (int port : ports) {
            try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                // free
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " is in use: is another stack (or service) running?");
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * One service of the stack.
     *
     * @param module its Maven module, whose build leaves the executable {@code target/<module>-exec.jar}
     * @param port   its HTTP port, which also serves its readiness probe
     */
    record Service(String module, int port) {

        Path jar(Path root) {
            return root.resolve(module).resolve("target").resolve(module + "-exec.jar");
        }
    }
}
