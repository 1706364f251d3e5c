package ai.moolai.ingest.reports;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Rows stored and rows per transaction; dead-lettered records are counted by service-support
 * ({@code mooli.dead_lettered}), consumer lag comes with Spring Kafka's client metrics.
 */
@Component
class IngestMetrics {

    private final Counter reports;
    private final Counter recommendations;
    private final Counter duplicates;
    private final DistributionSummary batchSize;

    IngestMetrics(MeterRegistry meters) {
        reports = Counter.builder("ingest.rows").tag("table", "orchestrator_reports").register(meters);
        recommendations = Counter.builder("ingest.rows").tag("table", "recommendations").register(meters);
        duplicates = Counter.builder("ingest.duplicates").description("records already stored, skipped").register(meters);
        batchSize = DistributionSummary.builder("ingest.batch.size").publishPercentiles(0.5, 0.99).register(meters);
    }

    void batch(int records, int reportRows, int recommendationRows, int skipped) {
        batchSize.record(records);
        reports.increment(reportRows);
        recommendations.increment(recommendationRows);
        duplicates.increment(skipped);
    }
}
