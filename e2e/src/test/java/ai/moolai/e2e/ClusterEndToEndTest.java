package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import ai.moolai.admin.Instance;
import ai.moolai.admin.InstanceRequest;
import ai.moolai.admin.OrganizationRequest;
import ai.moolai.bench.SimulatedFleet;
import ai.moolai.devstack.DevStack;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.TopicLayout;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.topics.ContractTopics;
import ai.moolai.service.topics.TopicsProperties;
import ai.moolai.testsupport.ApiClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The cluster as {@code ./dev-stack/run --cluster} runs it (three brokers, two instances of each
 * service, HAProxy in front of the edges and the control-apis) under the fault suite's load
 * (see {@link FaultSuite}), through a {@code kill -9} of one of each: a broker, an edge, a
 * liveness-stream and the control-api holding the outbox relay. The survivors carry on meanwhile:
 * reports go on being stored, no acknowledged one is lost, no running orchestrator is shown
 * INACTIVE, and the independence command issued during each kill is delivered once, in order.
 * When liveness-stream is killed it also measures the hand-over: from the kill to the survivor's
 * first expiry decision on a partition it took over.
 */
class ClusterEndToEndTest extends FaultSuite {

    /** Held down long enough for the cluster to fence it and a service's topic check to run meanwhile. */
    private static final Duration BROKER_HELD_DOWN = Duration.ofSeconds(40);
    /** Held down longer than liveness-stream's session timeout (15 s), so that the survivor must take over. */
    private static final Duration LIVENESS_DOWN = Duration.ofSeconds(30);
    /** Orchestrators that go silent to time the hand-over: this many on each partition. */
    private static final int PROBES_PER_PARTITION = 2;

    private static E2eStack stack;

    @BeforeAll
    static void startTheCluster() throws Exception {
        stack = E2eStack.start(DevStack.Topology.CLUSTER, "cluster");
    }

    @AfterAll
    static void stopTheCluster() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killingOneInstanceOfAnythingLosesNoReportAndRaisesNoFalseInactive() throws Exception {
        endureEach(stack, List.of(
                new Fault("kill -9 kafka-2 for " + BROKER_HELD_DOWN.toSeconds() + " s, topics checked meanwhile",
                        ControlGroup.FROM_ITS_EDGE_HEARD_AGAIN, true, ClusterEndToEndTest::checkTopicsWhileABrokerIsDown),
                new Fault("kill -9 ws-edge-1, back after " + SERVICE_DOWN.toSeconds() + " s",
                        ControlGroup.FROM_ITS_EDGE_HEARD_AGAIN, true, cluster -> crashAndAwait(cluster, "ws-edge-1", SERVICE_DOWN)),
                new Fault("kill -9 liveness-stream-1, back after " + LIVENESS_DOWN.toSeconds() + " s",
                        ControlGroup.FROM_THE_FAULTS_END, true, ClusterEndToEndTest::handOverOfLiveness),
                new Fault("kill -9 the control-api holding the relay, back after " + SERVICE_DOWN.toSeconds() + " s",
                        ControlGroup.FROM_THE_FAULTS_END, true, ClusterEndToEndTest::handOverOfTheRelay)));
    }

    /** Kills the control-api whose relay holds the lock, and times until the other one's relay holds it. */
    private static void handOverOfTheRelay(E2eStack cluster) throws Exception {
        String holder = relayHolder(cluster).orElseThrow(() -> new AssertionError("no control-api holds the relay's lock"));
        Instant killed = Instant.now();
        cluster.services().crash(holder, SERVICE_DOWN);
        String successor = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> relayHolder(cluster).orElse(holder), next -> !next.equals(holder));
        System.out.printf("  outbox relay: held by %s, killed; %s held it %.1f s later%n", holder, successor,
                Duration.between(killed, Instant.now()).toMillis() / 1000.0);
        cluster.services().running(holder).get(3, TimeUnit.MINUTES);
    }

    /**
     * A service starting while one broker is down (fenced by the cluster: no longer among its live
     * brokers) still counts three brokers, so it expects the topics as they are: the services' own
     * check of the contract's topics, run here once the cluster has fenced kafka-2, passes.
     */
    private static void checkTopicsWhileABrokerIsDown(E2eStack cluster) throws Exception {
        cluster.services().crash("kafka-2", BROKER_HELD_DOWN);
        Map<String, Object> client = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.services().kafkaBootstrapServers());
        try (Admin admin = Admin.create(client)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.describeCluster().nodes().get().size(), alive -> alive == 2);
        }
        TopicLayout layout = new ContractTopics(new KafkaAdmin(client),
                new TopicsProperties(TopicLayout.DEFAULT_PARTITIONS, null, null, Duration.ofSeconds(60)))
                .ensure(Topics.toCreate().keySet());
        assertThat(cluster.services().running("kafka-2")).as("kafka-2 still down while the topics were checked").isNotDone();
        assertThat(layout).isEqualTo(new TopicLayout(TopicLayout.DEFAULT_PARTITIONS, (short) 3, 2));
        cluster.services().running("kafka-2").get(3, TimeUnit.MINUTES);
    }

    /** Every event stream opens through HAProxy, whichever control-api issued its ticket and whichever serves it. */
    @Test
    void theDashboardsEventStreamOpensThroughTheBalancerWhicheverReplicaAnswers() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI api = stack.services().apiUrl();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> ticket = http.send(HttpRequest.newBuilder(api.resolve("/api/v1/events/tickets"))
                    .header("Authorization", "Bearer " + ApiClient.ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ticket.statusCode()).as(ticket.body()).isEqualTo(200);
            String sealed = Json.events().readTree(ticket.body()).get("ticket").asText();
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(api.resolve("/api/v1/events?ticket="
                    + URLEncoder.encode(sealed, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = stream.body()) {
                assertThat(stream.statusCode()).as("stream " + i).isEqualTo(200);
                assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/event-stream"));
            }
        }
    }

    private static void crashAndAwait(E2eStack cluster, String name, Duration down) throws Exception {
        cluster.services().crash(name, down);
        cluster.services().running(name).get(3, TimeUnit.MINUTES);
    }

    /**
     * Probes (simulated orchestrators, two on each partition) handshake once and go silent; a little
     * before their TTL runs out liveness-stream-1 is killed. Those on partitions it held can only be
     * judged by the survivor once it has taken them over: the first of them shown INACTIVE is the
     * hand-over's end.
     */
    private static void handOverOfLiveness(E2eStack cluster) throws Exception {
        List<SimulatedFleet.Member> probes = probes(cluster);
        Set<Integer> heldByTheKilled = heartbeatPartitionsOf(cluster, "liveness-stream-1");
        try (SimulatedFleet silent = new SimulatedFleet(cluster.services().edgeUrl())) {
            assertThat(silent.connect(probes, probes.size())).as("probes connected").isEqualTo(probes.size());
            Instant lastHeard = Instant.now();
            TimeUnit.MILLISECONDS.sleep(E2eStack.TTL.minusSeconds(3).toMillis());
            assertThat(inactiveSince(cluster, probes, lastHeard)).as("probes INACTIVE before the kill").isEmpty();

            Instant killed = Instant.now();
            cluster.services().crash("liveness-stream-1", LIVENESS_DOWN);
            Map<String, Instant> shownInactive = new HashMap<>();
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(() -> {
                Instant now = Instant.now();
                inactiveSince(cluster, probes, lastHeard).forEach(id -> shownInactive.putIfAbsent(id, now));
                return shownInactive.size() == probes.size();
            });
            List<Double> takenOver = probes.stream()
                    .filter(probe -> heldByTheKilled.contains(Topics.partitionOf(probe.id(), TopicLayout.DEFAULT_PARTITIONS)))
                    .map(probe -> Duration.between(killed, shownInactive.get(probe.id())).toMillis() / 1000.0)
                    .sorted().toList();
            assertThat(takenOver).as("probes on the killed instance's partitions " + heldByTheKilled).isNotEmpty();
            System.out.printf("  liveness hand-over: the survivor's first expiry decision on a partition it took over "
                            + "was shown %.1f s after the kill -9 (the last of %d such probes %.1f s; session timeout 15 s, "
                            + "TTL %d s)%n", takenOver.get(0), takenOver.size(), takenOver.get(takenOver.size() - 1),
                    E2eStack.TTL.toSeconds());
            cluster.services().running("liveness-stream-1").get(3, TimeUnit.MINUTES);
        } finally {
            for (SimulatedFleet.Member probe : probes) {
                cluster.admin().deleteInstance(probe.id());
            }
        }
    }

    /** New orchestrators, {@link #PROBES_PER_PARTITION} on each partition, known to every edge. */
    private static List<SimulatedFleet.Member> probes(E2eStack cluster) {
        String organization = "probes-" + UUID.randomUUID().toString().substring(0, 6);
        cluster.admin().createOrganization(new OrganizationRequest(organization, organization, null, null, null));
        Map<Integer, Integer> perPartition = new HashMap<>();
        List<SimulatedFleet.Member> probes = new ArrayList<>();
        for (int i = 0; probes.size() < TopicLayout.DEFAULT_PARTITIONS * PROBES_PER_PARTITION; i++) {
            String id = organization + "-" + i;
            if (perPartition.merge(Topics.partitionOf(id, TopicLayout.DEFAULT_PARTITIONS), 1, Integer::sum) <= PROBES_PER_PARTITION) {
                Instance.WithToken created = cluster.admin().createInstance(new InstanceRequest(id, organization, null, null, null));
                cluster.awaitEdgesKnow(created);
                probes.add(new SimulatedFleet.Member(created.orchestratorId(), created.token()));
            }
        }
        return probes;
    }

    /**
     * The heartbeat partitions a liveness-stream instance holds, from its group's assignment: its
     * static member id ends with its port (and Streams' thread number).
     */
    private static Set<Integer> heartbeatPartitionsOf(E2eStack cluster, String instance) throws Exception {
        Pattern member = Pattern.compile(".*-" + cluster.services().url(instance).getPort() + "(-\\d+)?");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.services().kafkaBootstrapServers()))) {
            List<MemberDescription> members = List.copyOf(admin.describeConsumerGroups(List.of("liveness-stream")).all()
                    .get().get("liveness-stream").members());
            return members.stream()
                    .filter(description -> member.matcher(description.groupInstanceId().orElse("")).matches())
                    .flatMap(description -> description.assignment().topicPartitions().stream())
                    .filter(partition -> partition.topic().equals(Topics.HEARTBEATS.name()))
                    .map(TopicPartition::partition)
                    .collect(Collectors.toSet());
        }
    }

    /** Which of these orchestrators control-api shows INACTIVE since then. */
    private static List<String> inactiveSince(E2eStack cluster, List<SimulatedFleet.Member> probes, Instant since)
            throws SQLException {
        try (Connection connection = cluster.database().connect();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT DISTINCT orchestrator_id FROM liveness_transitions
                     WHERE orchestrator_id = ANY (?) AND to_status = 'INACTIVE' AND occurred_at >= ?""")) {
            query.setArray(1, connection.createArrayOf("text", probes.stream().map(SimulatedFleet.Member::id).toArray()));
            query.setTimestamp(2, Timestamp.from(since.minusSeconds(1)));
            List<String> found = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
            return found;
        }
    }

    /** The service instance whose outbox relay holds the lock, as PostgreSQL shows it (its lock connection is named). */
    private static Optional<String> relayHolder(E2eStack cluster) throws SQLException {
        try (Connection connection = cluster.database().connect();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                     WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'control-api outbox relay %'""");
             ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            String holder = rows.getString(1);
            return Optional.of(cluster.services().topology().instancesOf("control-api").stream()
                    .filter(instance -> holder.endsWith("-" + cluster.services().url(instance).getPort()))
                    .findFirst().orElseThrow(() -> new AssertionError("no control-api instance is " + holder)));
        }
    }
}
