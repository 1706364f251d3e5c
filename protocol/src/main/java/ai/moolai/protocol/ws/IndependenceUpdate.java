package ai.moolai.protocol.ws;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The admin's independence decision for this orchestrator.
 *
 * @param data the decision
 */
public record IndependenceUpdate(Data data) implements OutboundFrame {

    /**
     * @param isIndependent whether the orchestrator is to run independently
     * @param privacyMode   whether it is to share nothing while independent
     * @param version       the desired-state version, echoed in {@link IndependenceAck}
     */
    public record Data(@JsonProperty("is_independent") boolean isIndependent, boolean privacyMode, long version) {
    }
}
