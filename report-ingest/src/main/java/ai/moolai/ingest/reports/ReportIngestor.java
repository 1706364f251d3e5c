package ai.moolai.ingest.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ai.moolai.database.TextArrays;
import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.Recommendation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Lands {@code orchestrator.reports.v1} in PostgreSQL a batch at a time: each record is checked
 * against the contract's schema, the invalid go to {@code orchestrator.reports.v1.dlt} with the
 * reason in their headers, and the valid are inserted with one multi-row statement per table in one
 * transaction, {@code ON CONFLICT DO NOTHING} on (orchestrator, message id), so redelivery and
 * rebalances store nothing twice. Offsets are committed only after that transaction; when the
 * database is away the batch is retried with backoff, the consumer paused, nothing skipped.
 */
@Component
class ReportIngestor {

    private final ReportSchema schema;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final KafkaTemplate<String, byte[]> kafka;
    private final IngestMetrics metrics;
    private final Deserializer<Report> reports = Topics.REPORTS.valueSerde().deserializer();

    ReportIngestor(ReportSchema schema, JdbcTemplate jdbc, TransactionTemplate transaction,
                   KafkaTemplate<String, byte[]> kafka, IngestMetrics metrics) {
        this.schema = schema;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.kafka = kafka;
        this.metrics = metrics;
    }

    @KafkaListener(id = "report-ingest", topics = "orchestrator.reports.v1", groupId = "report-ingest")
    void ingest(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        List<Report> valid = new ArrayList<>(records.size());
        List<ConsumerRecord<String, byte[]>> invalid = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String violations = schema.violations(record.value());
            Report report = violations.isEmpty() ? reports.deserialize(record.topic(), record.value()) : null;
            if (report != null) {
                violations = storable(report, record.key());
            }
            if (violations.isEmpty()) {
                valid.add(report);
            } else {
                invalid.add(record);
                reasons.add(violations);
            }
        }
        deadLetter(invalid, reasons);
        int[] stored = transaction.execute(status -> new int[] {insertReports(valid), insertRecommendations(valid)});
        int rows = valid.size();
        metrics.batch(records.size(), stored[0], stored[1], rows - stored[0] - stored[1]);
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

    /** Sends each invalid record, unchanged, to the dead-letter topic, and waits until the broker has them. */
    private void deadLetter(List<ConsumerRecord<String, byte[]>> records, List<String> reasons) throws Exception {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.REPORTS.deadLetterName(), null,
                    record.key(), record.value(), record.headers());
            DeadLetters.describe(dead.headers(), new InvalidReport(reasons.get(i)), record.topic(), record.partition(),
                    record.offset());
            sent.add(kafka.send(dead));
        }
        for (var future : sent) {
            future.get(30, TimeUnit.SECONDS);
        }
        metrics.deadLettered(records.size());
    }

    /** What the tables would refuse, found before the insert, so one bad record cannot stall the batch. */
    private static String storable(Report report, String key) {
        if (!report.orchestratorId().equals(key)) {
            return "the record's key " + key + " is not its orchestratorId " + report.orchestratorId();
        }
        if (report.kind() == Report.Kind.RECOMMENDATION) {
            String title = report.data().path("title").asString("");
            if (title.isBlank() || title.length() > 200) {
                return "a recommendation's title must have 1 to 200 characters";
            }
            if (!Recommendation.SEVERITIES.contains(report.data().path("severity").asString("info"))) {
                return "a recommendation's severity must be one of " + Recommendation.SEVERITIES;
            }
        }
        return "";
    }

    private static String kind(Report report) {
        return report.kind() == Report.Kind.CONFIG_SNAPSHOT ? "config_snapshot" : "monitoring_report";
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** A report that does not follow the contract's schema. */
    static final class InvalidReport extends RuntimeException {
        InvalidReport(String violations) {
            super(violations, null, false, false);
        }
    }
}
