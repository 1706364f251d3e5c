package ai.moolai.protocol.ws;

import tools.jackson.databind.JsonNode;

/**
 * The orchestrator's admin-owned configuration, sent after {@link HandshakeAck} and on request.
 *
 * @param data the configuration
 */
public record Provisioning(Data data) implements OutboundFrame {

    /**
     * @param orchestratorId always the session's own id (the seed client adopts it)
     * @param name           display name
     * @param location       where it runs
     * @param features       feature switches, a JSON object
     * @param metadata       anything else, a JSON object
     */
    public record Data(String orchestratorId, String name, String location, JsonNode features, JsonNode metadata) {
    }
}
