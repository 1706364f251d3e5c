package ai.moolai.protocol.kafka;

import java.time.Instant;

/**
 * An edge saying it is there, once a second, to every partition of {@code edge.beacons.v1}: so each
 * liveness task hears every edge, and can tell an orchestrator gone silent from an edge it cannot
 * hear.
 *
 * @param edgeId     the edge
 * @param at         the edge's clock
 * @param sessions   the sessions it holds
 * @param publishing whether what it sends to this partition of its topics reaches Kafka (none failing
 *                   since the last success, none waiting for its acknowledgement for long); the topics
 *                   are co-partitioned, so this is what the liveness task reading the beacon reads
 * @param stopping   its last beacon, on a graceful shutdown: its sessions are closed, its orchestrators
 *                   are on their own
 */
public record EdgeBeacon(String edgeId, Instant at, int sessions, boolean publishing, boolean stopping)
        implements TopicValue {
}
