package ai.moolai.control.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.instances.DesiredStateReconciler.Reason;
import ai.moolai.control.liveness.LastSeen;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.TopicProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code orchestrator.desired-state.v1} made whole again from PostgreSQL after the broker lost or
 * garbled what it held, by the reconciler's own schedule (every second here), on the run's real
 * broker and database. The database is shared with other test classes, so assertions look at
 * this test's orchestrators, except where every instance must be back on the topic.
 */
@ControlApiTest
@TestPropertySource(properties = "controller.desired-state.reconcile-interval=1s")
class DesiredStateReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = Topics.DESIRED_STATE.name();

    @LocalServerPort
    private int port;

    @Autowired
    private DesiredStateReconciler reconciler;

    @Autowired
    private DesiredStateProperties properties;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private LastSeen heardLastSeen;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private MeterRegistry meters;

    private ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @AfterEach
    void reconcilerRuns() {
        if (!reconciler.isRunning()) {
            reconciler.start();
        }
    }

    @Test
    void bringsBackEveryDesiredStateAtItsCurrentVersionAfterTheTopicIsReplacedByAnEmptyOne() throws Exception {
        String fresh = api.createOrchestrator("fresh").orchestratorId();
        String freed = api.createOrchestrator("freed").orchestratorId();
        String seen = api.createOrchestrator("seen").orchestratorId();
        String heard = api.createOrchestrator("heard").orchestratorId();
        Instant lastSeen = Instant.parse("2026-11-30T01:00:00Z");
        // As the materializer leaves it once liveness-stream has heard the orchestrator: its last
        // change's last seen, which its later heartbeats no longer move.
        for (String id : List.of(seen, heard)) {
            jdbc.sql("""
                    UPDATE orchestrator_instances SET status = 'ACTIVE', status_reason = 'heartbeat', status_since = :since,
                        last_seen = :lastSeen, connected = true, session_id = 's-1', edge_id = 'edge-1', liveness_updated_at = now()
                    WHERE orchestrator_id = :id""")
                    .param("since", Timestamp.from(lastSeen.minusSeconds(60))).param("lastSeen", Timestamp.from(lastSeen))
                    .param("id", id).update();
        }
        Instant heartbeat = Instant.now().minusSeconds(1);
        TestKafka.send(Topics.HEARTBEATS, heard, new Heartbeat(heard, "s-1", "edge-1", null, null, heartbeat));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> heartbeat.equals(heardLastSeen.of(heard, null)));
        setIndependence(freed, true);
        DesiredState freedBefore;
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            desired.await(fresh, state -> state != null && state.version() == 1);
            freedBefore = desired.await(freed, state -> state != null && state.version() == 2);
        }
        long activityBefore = activityEntries();
        double missingBefore = republished(Reason.MISSING);

        replaceTopicWithAnEmptyOne();

        Map<String, Long> committed = desiredVersions();
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE);
             TopicProbe<Liveness> restored = TopicProbe.of(Topics.LIVENESS_RESTORE)) {
            committed.forEach((id, version) -> desired.await(id, state -> state != null && state.version() == version));
            assertThat(desired.values(freed)).as("the state it had, read from PostgreSQL through the aggregate")
                    .contains(freedBefore);
            Liveness liveness = restored.await(seen, Objects::nonNull);
            assertThat(liveness.status()).isEqualTo(LivenessStatus.ACTIVE);
            assertThat(liveness.lastSeen()).isEqualTo(lastSeen);
            assertThat(liveness.edgeId()).isEqualTo("edge-1");
            assertThat(restored.await(heard, Objects::nonNull).lastSeen())
                    .as("the latest heartbeat this replica heard, not the stored last seen").isEqualTo(heartbeat);
            assertThat(restored.values(fresh)).as("a registration alone needs no restoring").isEmpty();
        }
        assertThat(republished(Reason.MISSING) - missingBefore).isGreaterThanOrEqualTo(committed.size());
        assertThat(activityEntries()).as("republishing is not an admin's action").isEqualTo(activityBefore);
    }

    @Test
    void noticesAReplacedTopicWithoutWaitingForTheNextRound() throws Exception {
        String id = api.createOrchestrator("watched").orchestratorId();
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            desired.await(id, state -> state != null && state.version() == 1);
        }
        reconciler.stop();
        reconciler.watchTopic();
        assertThat(reconciler.watchTopic()).as("the same topic").isFalse();

        replaceTopicWithAnEmptyOne();

        assertThat(reconciler.watchTopic()).as("a topic of another id").isTrue();
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            desired.await(id, state -> state != null && state.version() == 1);
        }
    }

    @Test
    void createsAMissingTopicAsTheContractDefinesAndFillsIt() throws Exception {
        String id = api.createOrchestrator("nowhere").orchestratorId();
        DesiredState before;
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            before = desired.await(id, state -> state != null && state.version() == 1);
        }

        try (Admin admin = admin()) {
            Uuid lost = topicId(admin);
            admin.deleteTopics(List.of(TOPIC)).all().get();
            Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> !lost.equals(topicId(admin)));
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC))).all().get()
                    .values().iterator().next();
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            assertThat(desired.await(id, Objects::nonNull)).isEqualTo(before);
        }
    }

    @Test
    void queuesATombstoneOverTheRecordOfAnOrchestratorThatNoLongerExists() throws InterruptedException {
        String deleted = api.createOrchestrator("deleted").orchestratorId();
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            DesiredState last = desired.await(deleted, state -> state != null && state.version() == 1);
            assertThat(api.delete("/api/v1/controller/orchestrator-instances/" + deleted, ApiClient.ADMIN).status())
                    .isEqualTo(204);
            desired.await(deleted, Objects::isNull);

            // The topic as a copy taken before the deletion would have it: the orchestrator still there.
            TestKafka.send(Topics.DESIRED_STATE, deleted, last);

            Awaitility.await().atMost(WAIT).until(() -> desired.values(deleted).size() == 4);
            assertThat(desired.values(deleted)).containsExactly(last, null, last, null);
        }
    }

    @Test
    void supersedesARecordOlderThanPostgres() throws InterruptedException {
        String id = api.createOrchestrator("older").orchestratorId();
        setIndependence(id, true);
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            DesiredState first = desired.await(id, state -> state != null && state.version() == 1);
            DesiredState current = desired.await(id, state -> state != null && state.version() == 2);

            TestKafka.send(Topics.DESIRED_STATE, id, first);

            Awaitility.await().atMost(WAIT).until(() -> desired.values(id).size() == 4);
            assertThat(desired.values(id)).containsExactly(first, current, first, current);
        }
    }

    @Test
    void readsPastAnUnreadableRecordAndRepublishesWhatItHid() throws Exception {
        String hidden = api.createOrchestrator("hidden").orchestratorId();
        String behind = api.createOrchestrator("behind").orchestratorId();
        setIndependence(behind, true);
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            DesiredState hiddenState = desired.await(hidden, state -> state != null && state.version() == 1);
            DesiredState older = desired.await(behind, state -> state != null && state.version() == 1);
            DesiredState current = desired.await(behind, state -> state != null && state.version() == 2);
            double unreadableBefore = republished(Reason.UNREADABLE);

            sendUnreadable(hidden);
            TestKafka.send(Topics.DESIRED_STATE, behind, older);

            Awaitility.await().atMost(WAIT).until(() -> desired.values(hidden).size() == 2
                    && desired.values(behind).size() == 4);
            assertThat(desired.values(hidden)).as("the probe skips the unreadable record between them")
                    .containsExactly(hiddenState, hiddenState);
            assertThat(desired.values(behind)).containsExactly(older, current, older, current);
            assertThat(republished(Reason.UNREADABLE) - unreadableBefore).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void queuesNothingWhenTheTopicHoldsEverything() throws Exception {
        String id = api.createOrchestrator("complete").orchestratorId();
        setIndependence(id, true);
        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            desired.await(id, state -> state != null && state.version() == 2);
        }
        reconciler.stop();
        // Whatever other tests left for it, queued and published before the round that counts.
        reconciler.reconcile();
        Awaitility.await().atMost(WAIT).until(() -> jdbc.sql("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                .query(Long.class).single() == 0);
        long lastRow = lastOutboxRow();
        double republishedBefore = republishedInAll();

        DesiredStateReconciler.Round round = reconciler.reconcile().orElseThrow();

        assertThat(round.orchestrators()).isEqualTo(desiredVersions().size());
        assertThat(round.republished()).isEmpty();
        assertThat(lastOutboxRow()).as("no outbox row written").isEqualTo(lastRow);
        assertThat(republishedInAll()).isEqualTo(republishedBefore);
    }

    @Test
    void reconcilesNothingWhileAnotherInstanceHoldsTheLock() throws Exception {
        reconciler.stop();
        try (Connection otherInstance = dataSource.getConnection(); Statement statement = otherInstance.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + properties.lockId() + ")");

            assertThat(reconciler.reconcile()).isEmpty();

            statement.execute("SELECT pg_advisory_unlock(" + properties.lockId() + ")");
        }
        assertThat(reconciler.reconcile()).isPresent();
    }

    private void setIndependence(String id, boolean independent) {
        assertThat(api.put("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.ADMIN,
                "{\"is_independent\":" + independent + "}").status()).isEqualTo(200);
    }

    /** Every instance's desired version, as PostgreSQL holds it. */
    private Map<String, Long> desiredVersions() {
        return jdbc.sql("SELECT orchestrator_id, desired_version FROM orchestrator_instances")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private long activityEntries() {
        return jdbc.sql("SELECT count(*) FROM activity_logs").query(Long.class).single();
    }

    private long lastOutboxRow() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM outbox").query(Long.class).single();
    }

    private double republished(Reason reason) {
        return meters.get("mooli.desired_state.republished").tag("reason", reason.tag()).counter().count();
    }

    private double republishedInAll() {
        return meters.get("mooli.desired_state.republished").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** A record under this key that no edge can read: not a desired state at all. */
    private static void sendUnreadable(String key) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key, "{not json".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /**
     * What a broker that lost its data holds: the topic deleted and created again, empty, as the
     * contract defines it. The reconciler may create it first, finding it missing; then it exists
     * anew all the same.
     */
    private static void replaceTopicWithAnEmptyOne() throws Exception {
        NewTopic contract = Topics.newTopics(TestKafka.LAYOUT).stream().filter(topic -> topic.name().equals(TOPIC)).findFirst()
                .orElseThrow();
        try (Admin admin = admin()) {
            Uuid lost = topicId(admin);
            admin.deleteTopics(List.of(TOPIC)).all().get();
            Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> {
                try {
                    admin.createTopics(List.of(contract)).all().get();
                    return true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        return !lost.equals(topicId(admin));
                    }
                    throw e;
                }
            });
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    }

    private static Uuid topicId(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId();
    }
}
