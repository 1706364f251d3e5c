package ai.moolai.control.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import ai.moolai.control.ControlApiTest;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.InstanceIds;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TopicProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.util.TestSocketUtils;

/** The outbox publishes each committed change exactly once, in order, whatever happens to the broker or the relay. */
@ControlApiTest
class OutboxRelayTest {

    private static TopicProbe<DesiredState> desired;

    @LocalServerPort
    private int port;

    @Autowired
    private OutboxRelay relay;

    @Autowired
    private DataSourceProperties database;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private KafkaTemplate<String, byte[]> kafka;

    private ApiClient api;

    @BeforeAll
    static void probe() {
        desired = TopicProbe.of(Topics.DESIRED_STATE);
    }

    @AfterAll
    static void closeProbe() throws InterruptedException {
        desired.close();
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @AfterEach
    void relayRuns() {
        if (!relay.isRunning()) {
            relay.start();
        }
    }

    private OutboxProperties properties() {
        return new OutboxProperties(Duration.ofMillis(100), 500, Duration.ofMillis(200), 7401);
    }

    private long unpublished() {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE published_at IS NULL").query(Long.class).single();
    }

    private void changeThreeTimes(String id) {
        for (boolean independent : new boolean[] {true, false, true}) {
            assertThat(api.put("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.ADMIN,
                    "{\"is_independent\":" + independent + "}").status()).isEqualTo(200);
        }
    }

    @Test
    void publishesEachChangeOnceAcrossABrokerOutage() throws Exception {
        String id = api.createOrchestrator("outage").orchestratorId();
        desired.await(id, state -> state != null && state.version() == 1);
        relay.stop();
        changeThreeTimes(id);
        assertThat(unpublished()).isGreaterThanOrEqualTo(6);

        var unreachable = new DefaultKafkaProducerFactory<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + TestSocketUtils.findAvailableTcpPort(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 500,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        OutboxRelay duringOutage = new OutboxRelay(database, jdbc, new KafkaTemplate<>(unreachable), properties(),
                new SimpleMeterRegistry(), 18098);
        assertThatThrownBy(duringOutage::publishRound).as("the broker is away");
        assertThat(unpublished()).as("nothing marked while the broker is away").isGreaterThanOrEqualTo(6);
        unreachable.destroy();

        relay.start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> unpublished() == 0);
        desired.await(id, state -> state != null && state.version() == 4);
        assertThat(desired.valuesNow(id)).extracting(DesiredState::version).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aRestartedRelayPublishesWhatWasCommittedMeanwhileOnce() {
        String id = api.createOrchestrator("restart").orchestratorId();
        desired.await(id, state -> state != null && state.version() == 1);

        relay.stop();
        changeThreeTimes(id);
        relay.start();
        relay.stop();
        relay.start();

        desired.await(id, state -> state != null && state.version() == 4);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> unpublished() == 0);
        assertThat(desired.valuesNow(id)).extracting(DesiredState::version).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void theRelayTellsWhatWaitsWhileItCannotPublishAndAReplicaThatIsNotTheRelaySaysItDoesNotKnow() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isLeader);
        SimpleMeterRegistry otherMeters = new SimpleMeterRegistry();
        OutboxRelay other = new OutboxRelay(database, jdbc, kafka, properties(), otherMeters, 18097);
        other.start();
        try {
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !other.isLeader());
            assertThat(otherMeters.get("outbox.backlog").gauge().value()).isNaN();
            assertThat(otherMeters.get("outbox.oldest_age").gauge().value()).isNaN();
        } finally {
            other.stop();
        }

        String id = api.createOrchestrator("waiting").orchestratorId();
        desired.await(id, state -> state != null && state.version() == 1);
        relay.stop();
        changeThreeTimes(id);
        var unreachable = new DefaultKafkaProducerFactory<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + TestSocketUtils.findAvailableTcpPort(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 500,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        SimpleMeterRegistry stuckMeters = new SimpleMeterRegistry();
        OutboxRelay stuck = new OutboxRelay(database, jdbc, new KafkaTemplate<>(unreachable), properties(), stuckMeters, 18096);
        stuck.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(stuck.isLeader()).isTrue();
                assertThat(stuckMeters.get("outbox.backlog").gauge().value()).isGreaterThanOrEqualTo(6);
            });
            double firstAge = stuckMeters.get("outbox.oldest_age").gauge().value();
            assertThat(firstAge).isGreaterThanOrEqualTo(0);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    stuckMeters.get("outbox.oldest_age").gauge().value() >= firstAge + 1);
        } finally {
            stuck.stop();
            unreachable.destroy();
        }
        relay.start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> unpublished() == 0);
    }

    @Test
    void onlyOneInstanceRelaysAtATime() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isLeader);
        OutboxRelay second = new OutboxRelay(database, jdbc, kafka, properties(), new SimpleMeterRegistry(), 18099);
        second.start();
        try {
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !second.isLeader());

            relay.stop();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
            String name = "control-api outbox relay " + InstanceIds.hostAndPort(18099);
            assertThat(jdbc.sql("""
                            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                            WHERE l.locktype = 'advisory' AND l.granted AND CAST(l.objid AS bigint) = :lock""")
                    .param("lock", properties().lockId()).query(String.class).list())
                    .as("the lock's holder, named for operators")
                    // PostgreSQL keeps the first 63 bytes of an application name.
                    .containsExactly(name.substring(0, Math.min(63, name.length())));
            String id = api.createOrchestrator("second").orchestratorId();
            assertThat(desired.await(id, state -> state != null).version()).as("published by the other instance").isEqualTo(1);
        } finally {
            second.stop();
        }
    }
}
