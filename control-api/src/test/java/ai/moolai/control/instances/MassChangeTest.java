package ai.moolai.control.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ai.moolai.control.ControlApiApplication;
import ai.moolai.control.SseClient;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessTransition;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TestDatabase;
import ai.moolai.testsupport.TestKafka;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistrar;
import tools.jackson.databind.JsonNode;

/**
 * {@code live} says who changed status in the last minute, from the transitions PostgreSQL holds,
 * and flags a mass change once more than a tenth of the fleet did. The fleet is this class's own (a
 * database of its own), so that its size, and with it every share, is known.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {ControlApiApplication.class, MassChangeTest.FleetOfItsOwn.class})
@ActiveProfiles("test")
@DirtiesContext
class MassChangeTest {

    private static final String LIVE = "/api/v1/controller/orchestrators/live";

    @TestConfiguration(proxyBeanMethods = false)
    static class FleetOfItsOwn {

        @Bean
        DynamicPropertyRegistrar database() {
            return TestDatabase.create()::register;
        }
    }

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcClient jdbc;

    private ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void flagsAMassChangeOnceMoreThanATenthOfTheFleetChangedStatusWithinAMinute() {
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fleet.add(api.createOrchestrator("fleet").orchestratorId());
        }
        Instant now = Instant.now();
        String deleted = api.createOrchestrator("deleted").orchestratorId();
        assertThat(api.delete("/api/v1/controller/orchestrator-instances/" + deleted, ApiClient.ADMIN).status()).isEqualTo(204);

        transition(fleet.get(0), LivenessStatus.ACTIVE, LivenessStatus.INACTIVE, LivenessReason.HEARTBEAT_TIMEOUT, now.minusSeconds(90));
        transition(fleet.get(1), LivenessStatus.PENDING, LivenessStatus.ACTIVE, LivenessReason.CONNECTED, now.minusSeconds(20));
        transition(fleet.get(1), LivenessStatus.ACTIVE, LivenessStatus.UNKNOWN, LivenessReason.EDGE_LOST, now.minusSeconds(5));
        transition(deleted, LivenessStatus.ACTIVE, LivenessStatus.INACTIVE, LivenessReason.HEARTBEAT_TIMEOUT, now.minusSeconds(2));
        awaitStored(fleet.get(0), 1);
        awaitStored(fleet.get(1), 2);
        awaitStored(deleted, 1);

        JsonNode changes = api.get(LIVE, ApiClient.VIEWER).body().path("changes");
        assertThat(changes.path("withinSeconds").asLong()).isEqualTo(60);
        assertThat(changes.path("orchestrators").asLong())
                .as("one orchestrator of the fleet changed within the minute, twice; the other too long ago; the third was deleted")
                .isEqualTo(1);
        assertThat(changes.path("byStatus").path("UNKNOWN").asLong()).as("where its latest change took it").isEqualTo(1);
        assertThat(changes.path("byStatus").path("ACTIVE").asLong()).isZero();
        assertThat(changes.path("byStatus").path("INACTIVE").asLong()).isZero();
        assertThat(changes.path("share").asDouble()).isEqualTo(0.1);
        assertThat(changes.path("massChangeShare").asDouble()).as("the default").isEqualTo(0.1);
        assertThat(changes.path("massChange").asBoolean()).as("a tenth is not more than a tenth").isFalse();

        try (SseClient sse = SseClient.open(port, ApiClient.VIEWER).ready()) {
            Instant later = Instant.now();
            transition(fleet.get(2), LivenessStatus.ACTIVE, LivenessStatus.UNKNOWN, LivenessReason.EDGE_LOST, later.minusSeconds(1));
            transition(fleet.get(3), LivenessStatus.ACTIVE, LivenessStatus.UNKNOWN, LivenessReason.EDGE_CANNOT_PUBLISH, later);
            transition(fleet.get(4), LivenessStatus.ACTIVE, LivenessStatus.INACTIVE, LivenessReason.DISCONNECTED, later);

            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> api.get(LIVE, ApiClient.VIEWER).body().path("changes").path("orchestrators").asLong() == 4);
            sse.awaitEvent(event -> "fleet".equals(event.name()) && event.data().contains("\"transitionsStored\":true"));
            assertThat(sse.awaitEvent(event -> "fleet".equals(event.name()) && event.data().contains("\"orchestrators\":4"))
                    .data()).as("the dashboard hears the changes the stored transitions make").contains("\"massChange\":true");
        }
        changes = api.get(LIVE, ApiClient.VIEWER).body().path("changes");
        assertThat(changes.path("byStatus").path("UNKNOWN").asLong()).isEqualTo(3);
        assertThat(changes.path("byStatus").path("INACTIVE").asLong()).isEqualTo(1);
        assertThat(changes.path("share").asDouble()).isEqualTo(0.4);
        assertThat(changes.path("massChange").asBoolean()).isTrue();
    }

    /**
     * With a month of history for a fleet much larger than this one, the query reads the last
     * minute through the transitions' time index, never the whole table.
     */
    @Test
    void readsTheLastMinuteThroughTheTransitionsTimeIndex() {
        jdbc.sql("""
                        INSERT INTO liveness_transitions (orchestrator_id, from_status, to_status, reason, occurred_at)
                        SELECT 'history-' || (g % 2000), 'ACTIVE', 'INACTIVE', 'heartbeat_timeout',
                               now() - make_interval(secs => 120 + g * 50)
                        FROM generate_series(1, 50000) AS g""")
                .update();
        jdbc.sql("ANALYZE liveness_transitions").update();

        String plan = String.join("\n", jdbc.sql("EXPLAIN " + Fleet.CHANGED_WITHIN).param("seconds", 60)
                .query(String.class).list());

        assertThat(plan).contains("Index Cond: (occurred_at > (now() - ").doesNotContain("Seq Scan on liveness_transitions");
        assertThat(plan).containsPattern("Index (Only )?Scan using liveness_transitions_time on liveness_transitions");
    }

    private static void transition(String id, LivenessStatus from, LivenessStatus to, LivenessReason reason, Instant at) {
        TestKafka.send(Topics.LIVENESS_TRANSITIONS, id, new LivenessTransition(id, from, to, reason, at, null));
    }

    private void awaitStored(String id, long transitions) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.sql(
                "SELECT count(*) FROM liveness_transitions WHERE orchestrator_id = :id").param("id", id)
                .query(Long.class).single() == transitions);
    }
}
