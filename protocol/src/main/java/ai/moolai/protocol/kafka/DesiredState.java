package ai.moolai.protocol.kafka;

import java.time.Instant;
import java.util.Optional;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.Storable;
import org.apache.kafka.common.errors.SerializationException;
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

    /**
     * Why an orchestrator with these features could not be stored or read back from its topic
     * (nested deeper than {@link Json#MAX_DEPTH} levels in all, say), so that control-api never
     * writes a record the edge would refuse; empty when it can.
     */
    public static Optional<String> featuresProblem(JsonNode features) {
        Optional<String> unstorable = Storable.problem("features", features);
        if (unstorable.isPresent()) {
            return unstorable;
        }
        var serde = Topics.DESIRED_STATE.valueSerde();
        String topic = Topics.DESIRED_STATE.name();
        DesiredState probe = new DesiredState("id", "organization", null, null, features, false, false, 0, null, null);
        try {
            serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, probe));
            return Optional.empty();
        } catch (SerializationException unreadable) {
            return Optional.of("features: nested too deeply (the whole record may be at most " + Json.MAX_DEPTH
                    + " levels deep)");
        }
    }
}
