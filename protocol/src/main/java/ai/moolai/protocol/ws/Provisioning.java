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
     * @param credential     once, when an admin approved the orchestrator's enrolment: its token from now on
     */
    public record Data(String orchestratorId, String name, String location, JsonNode features, JsonNode metadata,
                       Credential credential) {

        public Data(String orchestratorId, String name, String location, JsonNode features, JsonNode metadata) {
            this(orchestratorId, name, location, features, metadata, null);
        }
    }

    /**
     * The token an enrolled orchestrator connects with from now on: the key its enrolment request
     * carried, now approved. It keeps it (the agent in its {@code .env}) and sends it on every upgrade.
     *
     * @param token the orchestrator's token
     */
    public record Credential(String token) {
    }
}
