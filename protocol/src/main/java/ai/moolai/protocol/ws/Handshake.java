package ai.moolai.protocol.ws;

import ai.moolai.protocol.Storable;
import tools.jackson.databind.JsonNode;

/**
 * The first frame of every session.
 *
 * @param service   always {@code orchestrator} for the seed client; informational
 * @param data      who is connecting
 * @param timestamp the client's clock, as sent
 */
public record Handshake(String service, Data data, String timestamp) implements InboundFrame {

    public Handshake {
        if (data == null) {
            throw new IllegalArgumentException("handshake.data is required");
        }
    }

    /** The orchestrator id this handshake claims, or {@code null} when it names none. */
    public String orchestratorId() {
        return data.orchestratorId() == null || data.orchestratorId().isBlank() ? null : data.orchestratorId();
    }

    /**
     * @param orchestratorId the id the orchestrator claims (its token decides who it really is)
     * @param token          the orchestrator token, for clients that cannot set an upgrade header
     * @param metadata       what the orchestrator says about itself
     * @param enrolment      how an orchestrator without a token asks to be enrolled, or {@code null}
     */
    public record Data(String orchestratorId, String token, Metadata metadata, Enrolment enrolment) {

        public Data(String orchestratorId, String token, Metadata metadata) {
            this(orchestratorId, token, metadata, null);
        }
    }

    /**
     * An enrolment request of an orchestrator without a token. It made {@code key} itself and keeps
     * it; once an admin approves it, that key is its token. Only the key's hash leaves the edge.
     *
     * @param key   a secret of {@value #MIN_KEY_LENGTH} to {@value #MAX_KEY_LENGTH} characters
     * @param token an organization's enrolment token, if it was given one: it enrols into that
     *              organization, approved at once when the admin chose so for the token
     */
    public record Enrolment(String key, String token) {

        public Enrolment(String key) {
            this(key, null);
        }


        public static final int MIN_KEY_LENGTH = 32;
        public static final int MAX_KEY_LENGTH = 256;

        public Enrolment {
            if (key == null || key.length() < MIN_KEY_LENGTH || key.length() > MAX_KEY_LENGTH || key.isBlank()) {
                throw new IllegalArgumentException("handshake.data.enrolment.key must be " + MIN_KEY_LENGTH + " to "
                        + MAX_KEY_LENGTH + " characters");
            }
            Storable.require("data.enrolment.key", key);
            if (token != null && (token.isBlank() || token.length() > MAX_KEY_LENGTH)) {
                throw new IllegalArgumentException("handshake.data.enrolment.token must be 1 to " + MAX_KEY_LENGTH
                        + " characters");
            }
            Storable.require("data.enrolment.token", token);
        }
    }

    /** What an orchestrator reports about itself at handshake. */
    public record Metadata(String version, String hostname, String ip, Boolean sslEnabled, String name,
                           String location, JsonNode features) {

        public Metadata {
            Storable.require("data.metadata.version", version);
            Storable.require("data.metadata.hostname", hostname);
            Storable.require("data.metadata.ip", ip);
            Storable.require("data.metadata.name", name);
            Storable.require("data.metadata.location", location);
            Storable.require("data.metadata.features", features);
        }
    }
}
