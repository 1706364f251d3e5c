package ai.moolai.ingest.reports;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import ai.moolai.database.BinaryCopy;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.RecordBatches;
import ai.moolai.service.consumer.RecordReader;
import ai.moolai.service.consumer.ReplayingListener;
import ai.moolai.service.consumer.UnreadableRecord;
import ai.moolai.service.logging.LogFields;
import ai.moolai.service.tracing.Traces;
import io.micrometer.tracing.Span;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lands {@code orchestrator.reports.v1} in PostgreSQL a batch at a time, through service-support's
 * {@link RecordBatches}: a record that breaks the contract (its schema, its key, what the columns
 * can hold) goes to {@code orchestrator.reports.v1.dlt} with the reason in its headers; the rest
 * are copied into a temporary table ({@link BinaryCopy}) and moved on to their tables with one
 * statement in the same transaction, {@code ON CONFLICT DO NOTHING} on (orchestrator, message id),
 * so redelivery and rebalances store nothing twice. A
 * record the database still refuses is isolated and dead-lettered alone. Offsets are committed only
 * after that; when the database is away the batch is retried with backoff, nothing skipped.
 */
@Component
class ReportIngestor extends ReplayingListener {

    static final String CONSUMER = "report-ingest";

    private final ReportSchema schema;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final RecordBatches batches;
    private final IngestMetrics metrics;
    private final RecordReader<Report> reports = RecordReader.of(Topics.REPORTS);
    private final Traces traces;

    /**
     * Moves what {@link #insert} copied on to its tables: a recommendation's columns are read from
     * its data (which the contract's schema has checked); returns the rows new to each table.
     */
    private static final String STORE_INCOMING = """
            WITH reports AS (
                INSERT INTO orchestrator_reports (orchestrator_id, message_id, kind, produced_at, received_at, data)
                SELECT orchestrator_id, message_id, kind, produced_at, received_at, data
                FROM incoming_reports WHERE kind <> 'recommendation'
                ON CONFLICT DO NOTHING
                RETURNING 1
            ), recommendations AS (
                INSERT INTO recommendations (orchestrator_id, message_id, title, description, severity, category,
                                             proposed_action, data, produced_at, received_at)
                SELECT orchestrator_id, message_id, data ->> 'title', data ->> 'description',
                       coalesce(data ->> 'severity', 'info'), data ->> 'category',
                       nullif(data -> 'proposed_action', 'null'), data, produced_at, received_at
                FROM incoming_reports WHERE kind = 'recommendation'
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM recommendations)""";

    /** A report read, and the trace its record carries (the one its edge started), if any. */
    private record Incoming(Report report, String traceparent) {
    }

    ReportIngestor(ReportSchema schema, JdbcTemplate jdbc, TransactionTemplate transaction, RecordBatches batches,
                   IngestMetrics metrics, Traces traces) {
        this.traces = traces;
        this.schema = schema;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.batches = batches;
        this.metrics = metrics;
    }

    @KafkaListener(id = CONSUMER, topics = "#{T(ai.moolai.protocol.kafka.Topics).REPORTS.name()}", groupId = CONSUMER)
    void ingest(List<ConsumerRecord<String, byte[]>> records) {
        batches.handle(CONSUMER, Topics.REPORTS, records, this::read, this::store);
    }

    private Incoming read(ConsumerRecord<String, byte[]> record) {
        String violations = schema.violations(record.value());
        if (!violations.isEmpty()) {
            throw new UnreadableRecord(violations);
        }
        Report report = reports.read(record);
        if (!report.orchestratorId().equals(record.key())) {
            throw new UnreadableRecord("the record's key " + record.key() + " is not its orchestratorId "
                    + report.orchestratorId());
        }
        report.problem().ifPresent(problem -> {
            throw new UnreadableRecord(problem);
        });
        return new Incoming(report, Traces.of(record.headers()));
    }

    /** Stores a batch in one transaction; each traced report's trace ends with a span that lasts until the commit. */
    private void store(List<Incoming> incoming) {
        List<Report> batch = incoming.stream().map(Incoming::report).toList();
        List<Span> spans = incoming.stream().filter(report -> report.traceparent() != null)
                .map(report -> traces.start("report stored", report.traceparent())
                        .tag(LogFields.ORCHESTRATOR_ID, report.report().orchestratorId())
                        .tag("message_id", report.report().messageId().toString()))
                .toList();
        try {
            int[] stored = transaction.execute(status -> insert(batch));
            metrics.batch(batch, stored[0], stored[1], batch.size() - stored[0] - stored[1]);
        } catch (RuntimeException notStored) {
            spans.forEach(span -> span.error(notStored));
            throw notStored;
        } finally {
            spans.forEach(Span::end);
        }
    }

    /**
     * Copies the batch into a temporary table, then moves its reports and recommendations on to
     * their tables in one statement, {@code ON CONFLICT DO NOTHING}; returns how many of each were new.
     */
    private int[] insert(List<Report> batch) {
        BinaryCopy rows = new BinaryCopy(6);
        batch.forEach(report -> rows.row().text(report.orchestratorId()).uuid(report.messageId()).text(kind(report))
                .timestamptz(report.producedAt()).timestamptz(report.receivedAt())
                .jsonb(Json.events().writeValueAsBytes(report.data())));
        return jdbc.execute((Connection connection) -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("""
                        CREATE TEMPORARY TABLE IF NOT EXISTS incoming_reports (
                            orchestrator_id text, message_id uuid, kind text, produced_at timestamptz,
                            received_at timestamptz, data jsonb
                        ) ON COMMIT DELETE ROWS""");
                rows.into(connection, "incoming_reports");
                try (ResultSet stored = statement.executeQuery(STORE_INCOMING)) {
                    stored.next();
                    return new int[] {stored.getInt(1), stored.getInt(2)};
                }
            }
        });
    }

    private static String kind(Report report) {
        return switch (report.kind()) {
            case MONITORING_REPORT -> "monitoring_report";
            case CONFIG_SNAPSHOT -> "config_snapshot";
            case RECOMMENDATION -> "recommendation";
        };
    }
}
