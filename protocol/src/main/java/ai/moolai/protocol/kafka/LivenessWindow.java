package ai.moolai.protocol.kafka;

import java.time.Instant;

/**
 * How alive one orchestrator was during one window.
 *
 * @param orchestratorId the orchestrator
 * @param windowStart    inclusive
 * @param windowEnd      exclusive
 * @param heartbeats     heartbeats received in the window
 * @param secondsActive  seconds of the window it spent {@link LivenessStatus#ACTIVE}
 */
public record LivenessWindow(String orchestratorId, Instant windowStart, Instant windowEnd, long heartbeats,
                             long secondsActive) implements TopicValue {
}
