package ai.moolai.control.instances;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How control-api keeps {@code orchestrator.desired-state.v1} as complete as PostgreSQL, under
 * {@code controller.desired-state.*}.
 *
 * @param reconcileInterval the pause between two comparisons of the topic with PostgreSQL (the first comes at start)
 * @param batchSize         instances read, locked and republished per transaction
 * @param readTimeout       how long reading the topic to its end may take before the round gives up
 * @param lockId            the PostgreSQL advisory lock that lets one instance reconcile at a time
 */
@ConfigurationProperties("controller.desired-state")
record DesiredStateProperties(
        @DefaultValue("30s") Duration reconcileInterval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("1m") Duration readTimeout,
        @DefaultValue("7403") long lockId) {

    DesiredStateProperties {
        if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new IllegalArgumentException("controller.desired-state.reconcile-interval must be positive, not "
                    + reconcileInterval);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("controller.desired-state.batch-size must be at least 1, not " + batchSize);
        }
    }
}
