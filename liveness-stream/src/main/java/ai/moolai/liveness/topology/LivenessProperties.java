package ai.moolai.liveness.topology;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The liveness rules' parameters, under {@code liveness.*}.
 *
 * @param heartbeatTtl        silence after which an ACTIVE orchestrator is INACTIVE ({@code HEARTBEAT_TTL_SEC})
 * @param window              the length of a liveness window ({@code LIVENESS_WINDOW}): one record, and one
 *                            database row, per orchestrator per window
 * @param punctuationInterval how often expiry is checked against the wall clock
 * @param caughtUpLag         heartbeat records behind the log end that still count as caught up
 * @param edgeLostAfter       how long an edge's beacons may be missing before its silent orchestrators are
 *                            UNKNOWN rather than INACTIVE ({@code LIVENESS_EDGE_LOST_AFTER}; edges beacon every second)
 */
@ConfigurationProperties("liveness")
public record LivenessProperties(
        @DefaultValue("30s") Duration heartbeatTtl,
        @DefaultValue("1h") Duration window,
        @DefaultValue("250ms") Duration punctuationInterval,
        @DefaultValue("2000") long caughtUpLag,
        @DefaultValue("5s") Duration edgeLostAfter) {
}
