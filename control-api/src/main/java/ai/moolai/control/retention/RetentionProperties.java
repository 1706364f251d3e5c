package ai.moolai.control.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the database keeps what grows without end, and how the purge goes, under
 * {@code controller.retention.*}.
 *
 * @param reports         monitoring reports and config snapshots, by when the edge received them
 * @param recommendations accepted or rejected recommendations, by when they were decided; pending ones are kept
 * @param transitions     liveness transitions, by when they occurred
 * @param windows         liveness windows, by when they ended
 * @param publishedOutbox outbox rows, by when the relay published them; unpublished ones are kept
 * @param enrolmentRequests requests of orchestrators nobody registered, by when an edge last heard them
 * @param interval        the pause between two purges (the first comes one interval after start)
 * @param batchSize       rows deleted per statement, each its own short transaction
 * @param lockId          the PostgreSQL advisory lock that lets one instance purge at a time
 */
@ConfigurationProperties("controller.retention")
record RetentionProperties(
        @DefaultValue("30d") Duration reports,
        @DefaultValue("30d") Duration recommendations,
        @DefaultValue("30d") Duration transitions,
        @DefaultValue("30d") Duration windows,
        @DefaultValue("30d") Duration publishedOutbox,
        @DefaultValue("7d") Duration enrolmentRequests,
        @DefaultValue("10m") Duration interval,
        @DefaultValue("5000") int batchSize,
        @DefaultValue("7402") long lockId) {

    RetentionProperties {
        for (Duration kept : new Duration[] {reports, recommendations, transitions, windows, publishedOutbox,
                enrolmentRequests}) {
            if (kept.isNegative() || kept.isZero()) {
                throw new IllegalArgumentException("controller.retention.*: a retention must be positive, not " + kept);
            }
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("controller.retention.batch-size must be at least 1, not " + batchSize);
        }
    }

    /** How long rows of this kind are kept. */
    Duration of(Retained kind) {
        return switch (kind) {
            case REPORTS -> reports;
            case RECOMMENDATIONS -> recommendations;
            case TRANSITIONS -> transitions;
            case WINDOWS -> windows;
            case PUBLISHED_OUTBOX -> publishedOutbox;
            case ENROLMENT_REQUESTS -> enrolmentRequests;
        };
    }
}
