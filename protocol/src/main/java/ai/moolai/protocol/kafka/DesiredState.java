package ai.moolai.protocol.kafka;

import java.time.Instant;
import java.util.Optional;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.Storable;
import ai.moolai.protocol.ws.Decoded;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.OutboundFrame;
import ai.moolai.protocol.ws.Provisioning;
import org.apache.kafka.common.errors.SerializationException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

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
 * @param tokenlessAllowed whether an admin let it connect and poll without a token (legacy clients);
 *                       absent, as in records written before the setting existed, means no
 * @param updatedAt      when this version was committed
 */
public record DesiredState(String orchestratorId, String organizationId, String name, String location,
                           JsonNode features, boolean independent, boolean privacyMode, long version,
                           String credentialHash, boolean tokenlessAllowed, Instant updatedAt)
        implements TopicValue {

    /**
     * Why an orchestrator with these features could not be stored, read back from its topic, or
     * handed to the orchestrator in a {@code provisioning} frame (nested deeper than
     * {@link Json#MAX_DEPTH} levels in all, say), so that control-api never writes a record the
     * edge or the agent would refuse; empty when it can.
     */
    public static Optional<String> featuresProblem(JsonNode features) {
        Optional<String> unstorable = Storable.problem("features", features);
        if (unstorable.isPresent()) {
            return unstorable;
        }
        var serde = Topics.DESIRED_STATE.valueSerde();
        String topic = Topics.DESIRED_STATE.name();
        DesiredState probe = new DesiredState("id", "organization", null, null, features, false, false, 0, null, false, null);
        Provisioning frame = new Provisioning(new Provisioning.Data("id", null, null, features,
                JsonNodeFactory.instance.objectNode()));
        try {
            serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, probe));
        } catch (SerializationException unreadable) {
            return Optional.of(tooDeep());
        }
        return FrameCodec.decodeOutbound(FrameCodec.encode(frame)) instanceof Decoded.Ok<OutboundFrame>
                ? Optional.empty() : Optional.of(tooDeep());
    }

    private static String tooDeep() {
        return "features: nested too deeply (the record and the provisioning frame that carry them may be at most "
                + Json.MAX_DEPTH + " levels deep)";
    }
}
