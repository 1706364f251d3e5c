package ai.moolai.control.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The purge on the run's real PostgreSQL, called directly (its schedule, every ten minutes, never
 * comes during a test). Rows are written with SQL, 31 days old (past the 30-day retention) or 29
 * days old, each test under orchestrator ids of its own: the database is shared with other test
 * classes, so assertions look at these rows only. Batches of three make batching visible.
 */
@ControlApiTest
@TestPropertySource(properties = "controller.retention.batch-size=3")
class RetentionJobTest {

    private static final String OLD = "now() - interval '31 days'";
    private static final String YOUNG = "now() - interval '29 days'";

    @Autowired
    private RetentionJob retention;

    @Autowired
    private RetentionProperties properties;

    @Autowired
    private OutboxRelay relay;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private MeterRegistry meters;

    private String orchestrator;

    @BeforeEach
    void ownRows() {
        // The relay would publish the unpublished outbox row written here, and so change what is tested.
        relay.stop();
        orchestrator = "retention-" + UUID.randomUUID();
    }

    @AfterEach
    void noUnpublishedRowLeftForTheNextRelay() {
        jdbc.sql("DELETE FROM outbox WHERE message_key LIKE :id || '-%'").param("id", orchestrator).update();
    }

    @Test
    void deletesRowsPastTheirRetentionAndKeepsYoungerOnes() throws SQLException {
        report(OLD);
        report(YOUNG);
        transition(OLD);
        transition(YOUNG);
        window(OLD);
        window(YOUNG);
        String publishedLongAgo = outbox(OLD, OLD);
        String publishedLately = outbox(OLD, YOUNG);
        String unpublished = outbox("now() - interval '90 days'", "NULL");

        assertThat(retention.purge()).isPresent();

        assertThat(count("orchestrator_reports")).isEqualTo(1);
        assertThat(count("liveness_transitions")).isEqualTo(1);
        assertThat(count("liveness_windows")).isEqualTo(1);
        assertThat(jdbc.sql("SELECT message_key FROM outbox WHERE message_key IN (:keys) ORDER BY id")
                .param("keys", List.of(publishedLongAgo, publishedLately, unpublished)).query(String.class).list())
                .as("published within the retention, or not published at all")
                .containsExactly(publishedLately, unpublished);
        assertThat(jdbc.sql("SELECT count(*) FROM orchestrator_reports WHERE orchestrator_id = :id AND received_at > "
                + "now() - interval '30 days'").param("id", orchestrator).query(Long.class).single())
                .as("the young report is the one kept").isEqualTo(1);
    }

    @Test
    void deletesRecommendationsDecidedLongAgoAndNeverAPendingOne() throws SQLException {
        recommendation("ACCEPTED", "now() - interval '40 days'", OLD);
        recommendation("REJECTED", "now() - interval '40 days'", OLD);
        recommendation("PENDING", "now() - interval '90 days'", null);
        recommendation("ACCEPTED", "now() - interval '60 days'", YOUNG);

        retention.purge();

        assertThat(jdbc.sql("SELECT status FROM recommendations WHERE orchestrator_id = :id ORDER BY status")
                .param("id", orchestrator).query(String.class).list())
                .as("pending whatever its age; decided within the retention, whenever received")
                .containsExactly("ACCEPTED", "PENDING");
    }

    @Test
    void deletesInBatchesUntilNothingOldIsLeft() throws SQLException {
        for (int i = 0; i < 10; i++) {
            report(OLD);
        }
        double deletedBefore = deletedFrom("orchestrator_reports");

        RetentionJob.Deletion reports = retention.purge().orElseThrow().deleted().get(Retained.REPORTS);

        assertThat(properties.batchSize()).isEqualTo(3);
        assertThat(count("orchestrator_reports")).isZero();
        assertThat(reports.rows()).isGreaterThanOrEqualTo(10);
        assertThat(reports.batches()).as("three full batches of three, then a short one")
                .isGreaterThanOrEqualTo(4);
        assertThat(deletedFrom("orchestrator_reports") - deletedBefore).isEqualTo(reports.rows());
        assertThat(meters.get("retention.last.purge").gauge().value()).isPositive();
    }

    @Test
    void purgesNothingWhileAnotherInstanceHoldsTheLock() throws SQLException {
        report(OLD);
        try (Connection otherInstance = dataSource.getConnection(); Statement statement = otherInstance.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + properties.lockId() + ")");

            assertThat(retention.purge()).isEmpty();
            assertThat(count("orchestrator_reports")).isEqualTo(1);

            statement.execute("SELECT pg_advisory_unlock(" + properties.lockId() + ")");
        }
        Optional<RetentionJob.Purge> purge = retention.purge();
        assertThat(purge).isPresent();
        assertThat(count("orchestrator_reports")).isZero();
    }

    private void report(String receivedAt) {
        jdbc.sql("INSERT INTO orchestrator_reports (orchestrator_id, message_id, kind, received_at, data) "
                        + "VALUES (:id, :message, 'monitoring_report', " + receivedAt + ", '{}')")
                .param("id", orchestrator).param("message", UUID.randomUUID()).update();
    }

    private void transition(String occurredAt) {
        jdbc.sql("INSERT INTO liveness_transitions (orchestrator_id, to_status, reason, occurred_at) "
                + "VALUES (:id, 'ACTIVE', 'connected', " + occurredAt + ")").param("id", orchestrator).update();
    }

    private void window(String endedAt) {
        jdbc.sql("INSERT INTO liveness_windows (orchestrator_id, window_start, window_end, heartbeats, seconds_active) "
                + "VALUES (:id, " + endedAt + " - interval '1 minute', " + endedAt + ", 2, 60)")
                .param("id", orchestrator).update();
    }

    /** An outbox row keyed by a key of its own (returned): unpublished when {@code publishedAt} is NULL. */
    private String outbox(String createdAt, String publishedAt) {
        String key = orchestrator + "-" + UUID.randomUUID();
        jdbc.sql("INSERT INTO outbox (topic, message_key, payload, created_at, published_at) VALUES "
                        + "('retention-test', :key, NULL, " + createdAt + ", " + publishedAt + ")")
                .param("key", key).update();
        return key;
    }

    private void recommendation(String status, String receivedAt, String decidedAt) {
        jdbc.sql("INSERT INTO recommendations (orchestrator_id, message_id, title, severity, data, received_at, status, "
                        + "decided_by, decided_at) VALUES (:id, :message, 't', 'info', '{}', " + receivedAt + ", :status, "
                        + (decidedAt == null ? "NULL, NULL" : "'token:dev', " + decidedAt) + ")")
                .param("id", orchestrator).param("message", UUID.randomUUID()).param("status", status).update();
    }

    /** This test's rows in the table. */
    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE orchestrator_id = :id").param("id", orchestrator)
                .query(Long.class).single();
    }

    private double deletedFrom(String table) {
        return meters.get("retention.rows.deleted").tag("table", table).counter().count();
    }
}
