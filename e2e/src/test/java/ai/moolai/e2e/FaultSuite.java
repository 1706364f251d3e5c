package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ai.moolai.admin.IndependenceRequest;
import ai.moolai.admin.Instance;
import ai.moolai.admin.InstanceRequest;
import ai.moolai.admin.OrganizationRequest;
import ai.moolai.agent.AgentConfig;
import ai.moolai.agent.OrchestratorAgent;
import ai.moolai.bench.SimulatedFleet;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A stack under steady load through one fault after another: simulated orchestrators
 * heartbeating every 2 s, real agents each reporting every 250 ms, an independence command issued
 * during each fault, and in each fault a control group of agents killed on purpose. For each fault
 * it prints, then asserts: acknowledged reports lost and stored twice (none), orchestrators shown
 * INACTIVE although they kept running (none), how soon the control group was INACTIVE (within the
 * TTL and 2 s of its kill, or of the fault's end when the fault hid it), the independence commands
 * delivered once each and in order, reports stored while the fault lasted where the fault must not
 * stop them, and how long the stack took to be whole again. {@link FaultsEndToEndTest} runs it on
 * one instance of everything, {@link ClusterEndToEndTest} on a cluster.
 */
abstract class FaultSuite {

    static final int SIMULATED = Integer.getInteger("faults.simulated", 300);
    private static final Duration SIMULATED_BEAT = Duration.ofSeconds(2);
    private static final int REPORTERS = Integer.getInteger("faults.reporters", 3);
    private static final int CONTROL_GROUP = 2;
    static final Duration SERVICE_DOWN = Duration.ofSeconds(5);
    static final Duration BROKER_DOWN = Duration.ofSeconds(10);
    static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("faults.outage-seconds", 30));
    private static final Duration MARGIN = Duration.ofSeconds(2);
    static final Duration RECOVERY = Duration.ofSeconds(120);
    /** Only the faults whose name contains this, when given (to run one by hand). */
    private static final String ONLY = System.getProperty("faults.only", "");

    /** Puts a fault in place and takes it away again; returns when the fault is over. */
    interface Injection {
        void inject(E2eStack stack) throws Exception;
    }

    /** From when the control group's INACTIVE is due, TTL and 2 s later. */
    enum ControlGroup {
        /** From its kill: the fault does not hide it. */
        FROM_THE_KILL,
        /** From the fault's end: the fault keeps its silence from being seen or shown. */
        FROM_THE_FAULTS_END,
        /**
         * From when its edge is heard again (its first beacon saying it publishes to the control group's
         * partitions, after the fault's end): silence while the edge cannot be heard does not count
         * towards the TTL.
         */
        FROM_ITS_EDGE_HEARD_AGAIN
    }

    /**
     * @param name         what happens
     * @param controlGroup when the control group's INACTIVE is due
     * @param keepsStoring whether reports must go on being stored while the fault lasts
     * @param injection    the fault
     */
    record Fault(String name, ControlGroup controlGroup, boolean keepsStoring, Injection injection) {

        Fault(String name, ControlGroup controlGroup, Injection injection) {
            this(name, controlGroup, false, injection);
        }
    }

    /** What one fault cost. */
    record Outcome(String fault, long lost, long doubled, long falseInactive, double detectedAfter, double detectionLimit,
                   boolean independenceInOrder, double recoverySeconds, long storedDuring, boolean keepsStoring) {

        String row() {
            String detection = String.format("%.1f s (≤ %.1f s)", detectedAfter, detectionLimit);
            return String.format("| %-44s | %4d | %7d | %14d | %-26s | %-12s | %13d | %8.1f s |", fault, lost, doubled,
                    falseInactive, detection, independenceInOrder ? "once, in order" : "NO", storedDuring, recoverySeconds);
        }
    }

    private final Set<String> keptRunning = ConcurrentHashMap.newKeySet();
    /** What the suite registered, deleted at its end: the suites after it read a fleet of their own size. */
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<UUID>> sent = new ConcurrentHashMap<>();
    private final List<Boolean> commanded = new CopyOnWriteArrayList<>();
    private final List<Boolean> delivered = new CopyOnWriteArrayList<>();

    /** Runs the faults one after another under load, then prints each one's row and asserts them all. */
    void endureEach(E2eStack stack, List<Fault> faults) throws Exception {
        String organization = "faults-" + UUID.randomUUID().toString().substring(0, 6);
        stack.admin().createOrganization(new OrganizationRequest(organization, organization, null, null, null));
        List<SimulatedFleet.Member> members = provision(stack, organization);
        List<OrchestratorAgent> reporters = new ArrayList<>();
        ScheduledExecutorService reporting = Executors.newScheduledThreadPool(REPORTERS);
        ExecutorService commands = Executors.newSingleThreadExecutor();
        Instance.WithToken freed = stack.admin().createInstance(new InstanceRequest(organization + "-freed", organization,
                null, null, null));
        SimulatedFleet fleet = new SimulatedFleet(stack.services().edgeUrl());
        try (fleet;
             OrchestratorAgent independent = library(stack, freed, new OrchestratorAgent.Listener() {
                 @Override
                 public void independenceChanged(boolean isIndependent) {
                     delivered.add(isIndependent);
                 }
             })) {
            fleet.connect(members, 50);
            fleet.keepHeartbeating(members, SIMULATED_BEAT);
            members.forEach(member -> keptRunning.add(member.id()));
            for (int i = 0; i < REPORTERS; i++) {
                Instance.WithToken reporter = stack.admin().createInstance(new InstanceRequest(organization + "-reporter-" + i,
                        organization, null, null, null));
                OrchestratorAgent agent = library(stack, reporter, new OrchestratorAgent.Listener() {
                });
                reporters.add(agent);
                keptRunning.add(reporter.orchestratorId());
                Set<UUID> ids = ConcurrentHashMap.newKeySet();
                sent.put(reporter.orchestratorId(), ids);
                AtomicLong sequence = new AtomicLong();
                reporting.scheduleAtFixedRate(() -> {
                    try {
                        ids.add(agent.report(Json.events().valueToTree(Map.of("sequence", sequence.incrementAndGet()))));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, 0, 250, TimeUnit.MILLISECONDS);
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> countActive(stack, keptRunning) == keptRunning.size());

            Instant runStart = Instant.now();
            List<Outcome> outcomes = new ArrayList<>();
            for (Fault fault : faults) {
                if (!fault.name().contains(ONLY)) {
                    continue;
                }
                outcomes.add(endure(stack, fault, freed.orchestratorId(), reporters, commands));
                System.out.println("fault done: " + outcomes.get(outcomes.size() - 1).row());
            }

            System.out.println("""

                    | fault | lost | doubled | false INACTIVE | control group INACTIVE after | independence | stored during | recovered in |
                    |---|---|---|---|---|---|---|---|""");
            outcomes.forEach(outcome -> System.out.println(outcome.row()));
            assertThat(outcomes).as("faults whose name holds '" + ONLY + "'").isNotEmpty();
            // Also what a row's own count could miss: a transition stored after its row was counted.
            assertThat(falseInactive(stack, runStart)).as("running orchestrators shown INACTIVE, over the whole run")
                    .isEmpty();
            assertThat(outcomes).allSatisfy(outcome -> {
                assertThat(outcome.lost()).as(outcome.fault() + ": acknowledged reports lost").isZero();
                assertThat(outcome.doubled()).as(outcome.fault() + ": reports stored twice").isZero();
                assertThat(outcome.falseInactive()).as(outcome.fault() + ": running orchestrators shown INACTIVE").isZero();
                assertThat(outcome.independenceInOrder()).as(outcome.fault() + ": independence commands").isTrue();
                assertThat(outcome.detectedAfter()).as(outcome.fault() + ": control group INACTIVE after (s)")
                        .isLessThanOrEqualTo(outcome.detectionLimit());
                if (outcome.keepsStoring()) {
                    assertThat(outcome.storedDuring()).as(outcome.fault() + ": reports stored while it lasted").isPositive();
                }
            });
        } finally {
            reporting.shutdownNow();
            commands.shutdownNow();
            for (OrchestratorAgent reporter : reporters) {
                reporter.close();
            }
            created.addAll(keptRunning);
            created.add(freed.orchestratorId());
            for (String id : created) {
                try {
                    stack.admin().deleteInstance(id);
                } catch (RuntimeException notDeleted) {
                    // Best effort: a failure above says what went wrong; this must not hide it.
                    System.out.println("could not delete " + id + ": " + notDeleted);
                }
            }
        }
    }

    private Outcome endure(E2eStack stack, Fault fault, String freedId, List<OrchestratorAgent> reporters,
                           ExecutorService commands) throws Exception {
        System.out.println("fault: " + fault.name());
        Instant faultStart = Instant.now();
        List<Agent> controlGroup = new ArrayList<>();
        for (int i = 0; i < CONTROL_GROUP; i++) {
            Instance.WithToken doomed = stack.newOrchestrator("control");
            created.add(doomed.orchestratorId());
            controlGroup.add(stack.startAgent(doomed.orchestratorId(), doomed.token(), Map.of()));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> controlGroup.stream().allMatch(agent -> stack.status(agent.orchestratorId()).equals("ACTIVE")));

        Instant killed = Instant.now();
        for (Agent agent : controlGroup) {
            agent.kill();
        }
        boolean independent = commanded.size() % 2 == 0;
        commanded.add(independent);
        CompletableFuture<Void> command = CompletableFuture.runAsync(() -> issue(stack, freedId, independent), commands);
        long storedBefore = storedCount(stack);
        fault.injection().inject(stack);
        long storedDuring = storedCount(stack) - storedBefore;
        Instant faultEnd = Instant.now();

        Instant reference = switch (fault.controlGroup()) {
            case FROM_THE_KILL -> killed;
            case FROM_ITS_EDGE_HEARD_AGAIN -> edgeHeardAgain(stack, faultEnd,
                    controlGroup.stream().map(Agent::orchestratorId).toList());
            default -> faultEnd;
        };
        Instant limit = reference.plus(E2eStack.TTL).plus(MARGIN);
        // Measured even when late (asserted at the end, with every fault's row printed).
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> controlGroup.stream().allMatch(agent -> stack.status(agent.orchestratorId()).equals("INACTIVE")));
        double detected = Duration.between(reference, Instant.now()).toMillis() / 1000.0;
        for (Agent agent : controlGroup) {
            System.out.println("  control group " + agent.orchestratorId() + ": " + stack.statusHistory(agent.orchestratorId()));
        }
        for (Agent agent : controlGroup) {
            agent.close();
        }

        command.get(RECOVERY.toSeconds(), TimeUnit.SECONDS);
        String freedStatus = independent ? "INDEPENDENT" : "ACTIVE";
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(countActive(stack, keptRunning)).as("orchestrators ACTIVE again").isEqualTo(keptRunning.size());
            assertThat(reporters).as("reports waiting for their acknowledgement")
                    .allSatisfy(reporter -> assertThat(reporter.pendingReports()).isZero());
            assertThat(delivered).as("independence commands delivered").hasSameSizeAs(commanded);
            assertThat(stack.status(freedId)).as("the freed orchestrator").isEqualTo(freedStatus);
        });
        double recovered = Duration.between(faultEnd, Instant.now()).toMillis() / 1000.0;

        long lost = 0;
        long doubled = 0;
        for (Map.Entry<String, Set<UUID>> reporter : sent.entrySet()) {
            Set<UUID> ids = Set.copyOf(reporter.getValue());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> stack.storedReports(reporter.getKey()).containsAll(ids));
            List<UUID> stored = stack.storedReports(reporter.getKey());
            lost += ids.stream().filter(id -> !stored.contains(id)).count();
            doubled += stored.size() - Set.copyOf(stored).size();
        }
        List<String> falseInactive = falseInactive(stack, faultStart);
        falseInactive.stream().limit(3).forEach(id -> System.out.println("  shown INACTIVE although running " + id + ": "
                + stack.admin().transitions(id, null, 20).items()));
        return new Outcome(fault.name(), lost, doubled, falseInactive.size(), detected,
                Duration.between(reference, limit).toMillis() / 1000.0, delivered.equals(commanded), recovered,
                storedDuring, fault.keepsStoring());
    }

    /**
     * When every edge is heard publishing again after {@code since}, for each of these orchestrators:
     * the time of each edge's first beacon saying so to the partition the orchestrator's records go to
     * (a beacon speaks for its edge and partition only), the latest of them.
     */
    private static Instant edgeHeardAgain(E2eStack stack, Instant since, List<String> orchestratorIds) {
        try (KafkaConsumer<String, EdgeBeacon> beacons = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.services().kafkaBootstrapServers()),
                new StringDeserializer(), Topics.EDGE_BEACONS.valueSerde().deserializer())) {
            // On a broker that replaced the old one, the topic may not be there yet.
            int count = await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200))
                    .until(() -> beacons.partitionsFor(Topics.EDGE_BEACONS.name()).size(), found -> found > 0);
            List<TopicPartition> partitions = orchestratorIds.stream()
                    .map(id -> Topics.partitionOf(id, count)).distinct()
                    .map(partition -> new TopicPartition(Topics.EDGE_BEACONS.name(), partition)).toList();
            beacons.assign(partitions);
            Map<TopicPartition, Long> at = new HashMap<>();
            partitions.forEach(partition -> at.put(partition, since.toEpochMilli()));
            beacons.offsetsForTimes(at).forEach((partition, offset) -> {
                if (offset == null) {
                    beacons.seekToEnd(List.of(partition));
                } else {
                    beacons.seek(partition, offset.offset());
                }
            });
            int edges = stack.services().topology().instancesOf("ws-edge").size();
            Map<String, Instant> heard = new HashMap<>();
            long deadline = System.nanoTime() + RECOVERY.toNanos();
            while (System.nanoTime() < deadline && heard.size() < partitions.size() * edges) {
                for (ConsumerRecord<String, EdgeBeacon> beacon : beacons.poll(Duration.ofMillis(500))) {
                    if (beacon.value() != null && beacon.value().publishing() && !beacon.value().at().isBefore(since)) {
                        heard.putIfAbsent(beacon.partition() + " " + beacon.value().edgeId(), beacon.value().at());
                    }
                }
            }
            if (heard.size() < partitions.size() * edges) {
                throw new AssertionError("the edge was not heard publishing to " + partitions + " within "
                        + RECOVERY.toSeconds() + " s of " + since);
            }
            return heard.values().stream().max(Instant::compareTo).orElseThrow();
        }
    }

    /** Issues an independence command, again and again until control-api takes it (it may be down). */
    private static void issue(E2eStack stack, String orchestratorId, boolean independent) {
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            stack.admin().setIndependence(orchestratorId, new IndependenceRequest(independent, null));
            return true;
        });
    }

    private static List<SimulatedFleet.Member> provision(E2eStack stack, String organization) throws Exception {
        ExecutorService requests = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Instance.WithToken>> created = new ArrayList<>();
            for (int i = 0; i < SIMULATED; i++) {
                InstanceRequest instance = new InstanceRequest(organization + "-sim-" + i, organization, null, null, null);
                created.add(CompletableFuture.supplyAsync(() -> stack.admin().createInstance(instance), requests));
            }
            List<SimulatedFleet.Member> members = new ArrayList<>();
            for (CompletableFuture<Instance.WithToken> instance : created) {
                members.add(new SimulatedFleet.Member(instance.get().orchestratorId(), instance.get().token()));
            }
            return members;
        } finally {
            requests.shutdown();
        }
    }

    /** An agent in this process, started once every edge knows its orchestrator (before that, it would be refused). */
    private OrchestratorAgent library(E2eStack stack, Instance.WithToken orchestrator, OrchestratorAgent.Listener listener)
            throws Exception {
        stack.awaitEdgesKnow(orchestrator);
        OrchestratorAgent agent = OrchestratorAgent.create(AgentConfig.from(Map.of(
                "ORCHESTRATOR_ID", orchestrator.orchestratorId(), "ORCHESTRATOR_TOKEN", orchestrator.token(),
                "CONTROLLER_WS_URL", stack.services().edgeUrl().toString(),
                "ORCHESTRATOR_ENV_FILE", stack.home().resolve("agents").resolve(orchestrator.orchestratorId()).resolve(".env")
                        .toString(),
                "WEBSOCKET_KEEPALIVE_INTERVAL", String.valueOf(E2eStack.KEEPALIVE.toSeconds()),
                "INDEPENDENCE_POLL_INTERVAL_SEC", "1",
                "AGENT_BACKOFF_BASE_MS", "200", "AGENT_BACKOFF_MAX_SEC", "2")), listener);
        agent.start();
        return agent;
    }

    private long storedCount(E2eStack stack) throws SQLException {
        try (Connection connection = stack.database().connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM orchestrator_reports WHERE orchestrator_id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", sent.keySet().toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long countActive(E2eStack stack, Set<String> ids) throws SQLException {
        try (Connection connection = stack.database().connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM orchestrator_instances WHERE orchestrator_id = ANY (?) AND status = 'ACTIVE'")) {
            query.setArray(1, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Orchestrators that kept running yet were shown INACTIVE since the fault began. */
    private List<String> falseInactive(E2eStack stack, Instant since) throws SQLException {
        try (Connection connection = stack.database().connect();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT DISTINCT orchestrator_id FROM liveness_transitions
                     WHERE orchestrator_id = ANY (?) AND to_status = 'INACTIVE' AND occurred_at >= ?""")) {
            Array ids = connection.createArrayOf("text", keptRunning.toArray());
            query.setArray(1, ids);
            query.setTimestamp(2, Timestamp.from(since));
            List<String> found = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
            return found;
        }
    }

}
