package ai.moolai.ingest.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import ai.moolai.protocol.kafka.Report;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Rows stored, rows per transaction, and how long a report took from the edge to its row;
 * dead-lettered records are counted by service-support ({@code mooli.dead_lettered}), consumer lag
 * comes with Spring Kafka's client metrics.
 */
@Component
class IngestMetrics {

    private final Counter reports;
    private final Counter recommendations;
    private final Counter duplicates;
    private final DistributionSummary batchSize;
    private final Timer latency;
    private final Clock clock = Clock.systemUTC();

    IngestMetrics(MeterRegistry meters) {
        reports = Counter.builder("ingest.rows").tag("table", "orchestrator_reports").register(meters);
        recommendations = Counter.builder("ingest.rows").tag("table", "recommendations").register(meters);
        duplicates = Counter.builder("ingest.duplicates").description("records already stored, skipped").register(meters);
        batchSize = DistributionSummary.builder("ingest.batch.size").description("records per transaction")
                .serviceLevelObjectives(1, 10, 100, 500, 1000, 2000).register(meters);
        latency = Timer.builder("ingest.latency")
                .description("from a report's arrival at the edge to its row committed (the edge's and this clock)")
                .register(meters);
    }

    /** Counts a committed batch of reports, {@code skipped} of which were stored already. */
    void batch(List<Report> batch, int reportRows, int recommendationRows, int skipped) {
        batchSize.record(batch.size());
        reports.increment(reportRows);
        recommendations.increment(recommendationRows);
        duplicates.increment(skipped);
        Instant now = clock.instant();
        for (Report report : batch) {
            // A clock behind the edge's counts as no wait rather than a negative one.
            Duration waited = Duration.between(report.receivedAt(), now);
            latency.record(waited.isNegative() ? Duration.ZERO : waited);
        }
    }
}
