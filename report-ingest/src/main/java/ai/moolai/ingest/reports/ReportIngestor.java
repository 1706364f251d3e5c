package ai.moolai.ingest.reports;

import java.util.List;

import ai.moolai.database.TextArrays;
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
import tools.jackson.databind.JsonNode;

/**
 * Lands {@code orchestrator.reports.v1} in PostgreSQL a batch at a time, through service-support's
 * {@link RecordBatches}: a record that breaks the contract (its schema, its key, what the columns
 * can hold) goes to {@code orchestrator.reports.v1.dlt} with the reason in its headers; the rest
 * are inserted with one multi-row statement per table in one transaction, {@code ON CONFLICT DO
 * NOTHING} on (orchestrator, message id), so redelivery and rebalances store nothing twice. A
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
            int[] stored = transaction.execute(status -> new int[] {insertReports(batch), insertRecommendations(batch)});
            metrics.batch(batch, stored[0], stored[1], batch.size() - stored[0] - stored[1]);
        } catch (RuntimeException notStored) {
            spans.forEach(span -> span.error(notStored));
            throw notStored;
        } finally {
            spans.forEach(Span::end);
        }
    }

    private int insertReports(List<Report> batch) {
        TextArrays rows = new TextArrays(6);
        batch.stream().filter(report -> report.kind() != Report.Kind.RECOMMENDATION).forEach(report -> rows.add(
                report.orchestratorId(), report.messageId(), kind(report), report.producedAt(), report.receivedAt(),
                report.data()));
        if (rows.isEmpty()) {
            return 0;
        }
        return jdbc.update(connection -> rows.bind(connection, """
                INSERT INTO orchestrator_reports (orchestrator_id, message_id, kind, produced_at, received_at, data)
                SELECT o, CAST(m AS uuid), k, CAST(p AS timestamptz), CAST(r AS timestamptz), CAST(d AS jsonb)
                FROM unnest(?, ?, ?, ?, ?, ?) AS v(o, m, k, p, r, d)
                ON CONFLICT DO NOTHING"""));
    }

    private int insertRecommendations(List<Report> batch) {
        TextArrays rows = new TextArrays(10);
        batch.stream().filter(report -> report.kind() == Report.Kind.RECOMMENDATION).forEach(report -> {
            JsonNode data = report.data();
            JsonNode action = data.get("proposed_action");
            rows.add(report.orchestratorId(), report.messageId(), data.path("title").asString(),
                    text(data, "description"), data.path("severity").asString("info"), text(data, "category"),
                    action == null || action.isNull() ? null : action, data, report.producedAt(), report.receivedAt());
        });
        if (rows.isEmpty()) {
            return 0;
        }
        return jdbc.update(connection -> rows.bind(connection, """
                INSERT INTO recommendations (orchestrator_id, message_id, title, description, severity, category,
                                             proposed_action, data, produced_at, received_at)
                SELECT o, CAST(m AS uuid), t, d, s, c, CAST(a AS jsonb), CAST(j AS jsonb), CAST(p AS timestamptz),
                       CAST(r AS timestamptz)
                FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) AS v(o, m, t, d, s, c, a, j, p, r)
                ON CONFLICT DO NOTHING"""));
    }

    private static String kind(Report report) {
        return report.kind() == Report.Kind.CONFIG_SNAPSHOT ? "config_snapshot" : "monitoring_report";
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
