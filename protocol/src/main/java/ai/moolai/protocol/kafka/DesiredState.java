package ai.moolai.protocol.kafka;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * The admin-owned record of one orchestrator, as control-api committed it. A deleted orchestrator
 * is a tombstone (a {@code null} value).
 *
 * @param orchestratorId the orchestrator
 * @param organizationId the organization it serves
 * @param name           display name
 * @param location       where it runs
 * @param features       feature switches, a JSON object
 * @param independent    whether it is to run independently
 * @param privacyMode    whether it is to share nothing while independent
 * @param version        increases with every change of this record
 * @param credentialHash the hash of its current token ({@code sha256:<hex>}), or {@code null} when it has none
 * @param updatedAt      when this version was committed
 */
public record DesiredState(String orchestratorId, String organizationId, String name, String location,
                           JsonNode features, boolean independent, boolean privacyMode, long version,
                           String credentialHash, Instant updatedAt) implements TopicValue {
}
