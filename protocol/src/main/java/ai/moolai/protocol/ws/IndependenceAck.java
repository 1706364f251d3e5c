package ai.moolai.protocol.ws;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The orchestrator's acknowledgement of an {@link IndependenceUpdate}.
 *
 * @param data  what it applied
 * @param trace the update's {@code trace}, echoed; absent when it carried none (or the client is older)
 */
public record IndependenceAck(Data data, String trace) implements InboundFrame {

    public IndependenceAck(Data data) {
        this(data, null);
    }

    public IndependenceAck {
        if (data == null || data.version() == null) {
            throw new IllegalArgumentException("data.version is required");
        }
    }

    /**
     * @param isIndependent  the mode the orchestrator is now in
     * @param version        the desired-state version it applied
     * @param envFileUpdated whether its {@code .env} now records the mode
     */
    public record Data(@JsonProperty("is_independent") boolean isIndependent, Long version,
                       Boolean envFileUpdated) {
    }
}
