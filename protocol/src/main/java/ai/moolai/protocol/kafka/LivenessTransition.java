package ai.moolai.protocol.kafka;

import java.time.Instant;

/**
 * One change of an orchestrator's liveness status.
 *
 * @param orchestratorId the orchestrator
 * @param from           the status before ({@code null} for the first)
 * @param to             the status after
 * @param reason         why
 * @param at             when
 * @param evidence       what the decision rested on
 */
public record LivenessTransition(String orchestratorId, LivenessStatus from, LivenessStatus to,
                                 LivenessReason reason, Instant at, Evidence evidence) implements TopicValue {

    /**
     * @param lastSeen            the latest heartbeat or connection at the time
     * @param sessionId           the session involved
     * @param edgeId              the edge involved
     * @param closeCode           the close code, for a disconnect
     * @param independenceVersion the desired-state version, for independence changes
     */
    public record Evidence(Instant lastSeen, String sessionId, String edgeId, Integer closeCode,
                           Long independenceVersion) {
    }
}
