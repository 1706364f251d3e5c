package ai.moolai.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

import ai.moolai.admin.AdminApi;
import ai.moolai.admin.Instance;
import ai.moolai.devstack.DatabaseUrl;
import ai.moolai.devstack.DevStack;
import ai.moolai.devstack.FreePorts;
import ai.moolai.process.ChildProcess;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TcpProxy;
import ai.moolai.testsupport.TestDatabase;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The stack every end-to-end test shares, as {@code ./dev-stack/run} runs it: a real broker, a
 * fresh database and each service in its own process, on free ports, its management port too. It
 * starts once, for the first test that asks for it, and stops when the run ends. Tests reach it as
 * a parameter.
 */
public final class E2eStack implements AutoCloseable {

    /**
     * The heartbeat TTL the stack runs with; agents heartbeat every {@link #KEEPALIVE}. Restarting
     * the one edge leaves its orchestrators without a session for up to about 14 s on a loaded
     * two-core machine (shutdown, a JVM's start, catching up with desired state), and the restart
     * test expects no one to be declared INACTIVE meanwhile: the TTL stays clear of that.
     */
    static final Duration TTL = Duration.ofSeconds(20);
    static final Duration KEEPALIVE = Duration.ofSeconds(3);

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The command that runs one of fleet-bench's benchmarks, as its README line does, with these arguments. */
    static List<String> benchmark(String mainClass, String... arguments) {
        List<String> command = new ArrayList<>(List.of(ChildProcess.jdkTool("java"), "-Xmx256m", "-cp",
                ROOT.resolve("fleet-bench/target/fleet-bench.jar") + ":" + ROOT.resolve("fleet-bench/target/lib") + "/*",
                "ai.moolai.bench." + mainClass));
        command.addAll(List.of(arguments));
        return command;
    }

    private final DevStack stack;
    private final TestDatabase database;
    private final Path home;
    private final ApiClient api;
    private final TcpProxy postgres;
    private final TcpProxy edgeKafka;

    private E2eStack(DevStack stack, TestDatabase database, Path home, TcpProxy postgres, TcpProxy edgeKafka) {
        this.stack = stack;
        this.database = database;
        this.home = home;
        this.api = new ApiClient(stack.apiUrl());
        this.postgres = postgres;
        this.edgeKafka = edgeKafka;
    }

    /**
     * Starts the stack with the services reaching PostgreSQL, and ws-edge reaching the broker,
     * through proxies a test can cut. Every client shares one address here, so the edge's
     * per-address upgrade budget is raised to let a whole fleet reconnect at once.
     */
    static E2eStack start() throws Exception {
        return start(DevStack.Topology.SINGLE, "stack");
    }

    /**
     * Starts a stack of the topology given, its files in {@code target/<name>}; a single one has
     * ws-edge reach its broker through a proxy a test can cut.
     */
    static E2eStack start(DevStack.Topology topology, String name) throws Exception {
        Path home = ROOT.resolve("e2e/target").resolve(name);
        deleteRecursively(home);
        TestDatabase database = TestDatabase.create();
        TcpProxy postgres = new TcpProxy(URI.create(database.jdbcUrl().substring("jdbc:".length())).getPort());
        TcpProxy edgeKafka = null;
        DevStack.EdgeKafka edgeListener = null;
        if (topology.brokers() == 1) {
            int listenerPort = FreePorts.next();
            edgeKafka = new TcpProxy(listenerPort);
            edgeListener = new DevStack.EdgeKafka(listenerPort, edgeKafka.port());
        }
        DevStack stack = new DevStack(new DevStack.Settings(ROOT, home,
                DatabaseUrl.parse(database.jdbcUrlVia(postgres.port()), database.username(), database.password()),
                DevStack.Ports.free(topology), ApiClient.ADMIN, Http.MANAGEMENT_TOKEN,
                Map.of("HEARTBEAT_TTL_SEC", String.valueOf(TTL.toSeconds()), "VIEWER_BEARER_TOKEN", ApiClient.VIEWER,
                        "EDGE_UPGRADES_PER_ADDRESS_PER_SECOND", "2000", "EDGE_UPGRADE_BURST_PER_ADDRESS", "2000",
                        // The services log JSON, as a log pipeline reads them, and keep every trace (LogsEndToEndTest).
                        "LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs", "MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1.0"),
                edgeListener, topology));
        E2eStack started = new E2eStack(stack, database, home, postgres, edgeKafka);
        try {
            stack.start();
        } catch (Exception e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** Between the services and PostgreSQL: cut it for an outage of the database. */
    TcpProxy postgres() {
        return postgres;
    }

    /** Between ws-edge and the broker: cut it to leave the edge's sockets up and its Kafka gone. */
    TcpProxy edgeKafka() {
        return edgeKafka;
    }

    /** control-api's admin API, as an admin. */
    AdminApi admin() {
        return api.admin();
    }

    DevStack services() {
        return stack;
    }

    /** The controller's database, for what no endpoint lists whole. */
    TestDatabase database() {
        return database;
    }

    /** The message ids of every report stored for the orchestrator, one per row (a report stored twice appears twice). */
    List<UUID> storedReports(String orchestratorId) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT message_id FROM orchestrator_reports WHERE orchestrator_id = ?")) {
            query.setString(1, orchestratorId);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /** Where a test's files live. */
    Path home() {
        return home;
    }

    /**
     * A new orchestrator, once every edge knows it: an agent started before its edge has read the
     * orchestrator's desired state would be refused with 4401 and stop.
     */
    Instance.WithToken newOrchestrator(String prefix) {
        Instance.WithToken created = api.createOrchestrator(prefix);
        awaitEdgesKnow(created);
        return created;
    }

    /** Waits until every edge knows the orchestrator: its independence poll answers on each. */
    void awaitEdgesKnow(Instance.WithToken orchestrator) {
        String poll = "/api/v1/internal/orchestrators/" + orchestrator.orchestratorId() + "/independence";
        for (String edge : stack.topology().instancesOf("ws-edge")) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Http.get(stack.url(edge).getPort(), poll, orchestrator.token()).statusCode() == 200);
        }
    }

    /** The orchestrator's liveness as control-api shows it. */
    Instance.Liveness liveness(String orchestratorId) {
        return admin().instance(orchestratorId).liveness();
    }

    String status(String orchestratorId) {
        return liveness(orchestratorId).status();
    }

    /** Every status the orchestrator has moved to, with its reason ({@code "INACTIVE heartbeat_timeout"}), oldest first. */
    List<String> statusHistory(String orchestratorId) {
        List<String> history = new ArrayList<>(admin().transitions(orchestratorId, null, 200).items().stream()
                .map(transition -> transition.to() + " " + transition.reason()).toList());
        Collections.reverse(history);
        return history;
    }

    /** Starts the runnable agent as its own process, in a home of its own, heartbeating every {@link #KEEPALIVE}. */
    Agent startAgent(String orchestratorId, String token, Map<String, String> more) throws IOException {
        Path agentHome = home.resolve("agents").resolve(orchestratorId);
        Map<String, String> environment = new HashMap<>(Map.of(
                "WEBSOCKET_KEEPALIVE_INTERVAL", String.valueOf(KEEPALIVE.toSeconds()),
                "INDEPENDENCE_POLL_INTERVAL_SEC", "1",
                "AGENT_BACKOFF_BASE_MS", "200",
                "AGENT_BACKOFF_MAX_SEC", "2"));
        environment.putAll(more);
        return new Agent(orchestratorId, stack.startAgent(orchestratorId, token, agentHome, environment),
                agentHome.resolve(".env"));
    }

    /**
     * Runs a program beside the stack to its end, its output in {@code logs/<name>.log}, and fails
     * with that log's tail unless it exits with 0 within the time given.
     */
    void run(String name, List<String> command, Map<String, String> environment, Duration within)
            throws IOException, InterruptedException {
        stack.start(name, command, environment).awaitExit(within);
    }

    @Override
    public void close() {
        stack.close();
        for (TcpProxy proxy : Stream.of(postgres, edgeKafka).filter(Objects::nonNull).toList()) {
            try {
                proxy.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Hands the shared stack to tests that ask for it, starting it on first use (and trying only once). */
    public static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(E2eStack.class);

        /** The one attempt to start the stack: the stack, or why it did not start. */
        private record Started(E2eStack stack, Exception failure) implements AutoCloseable {

            @Override
            public void close() {
                if (stack != null) {
                    stack.close();
                }
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == E2eStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Started started = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Started.class, key -> {
                try {
                    return new Started(start(), null);
                } catch (Exception e) {
                    return new Started(null, e);
                }
            }, Started.class);
            if (started.failure() != null) {
                throw new IllegalStateException("the stack did not start: " + started.failure().getMessage(), started.failure());
            }
            return started.stack();
        }
    }
}
