package ai.moolai.protocol.ws;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The admin's independence decision for this orchestrator.
 *
 * @param data  the decision
 * @param trace the decision's trace (a W3C {@code traceparent}), for the orchestrator to echo in its
 *              {@link IndependenceAck}; absent when none is known
 */
public record IndependenceUpdate(Data data, String trace) implements OutboundFrame {

    public IndependenceUpdate(Data data) {
        this(data, null);
    }

    /**
     * @param isIndependent whether the orchestrator is to run independently
     * @param privacyMode   whether it is to share nothing while independent
     * @param version       the desired-state version, echoed in {@link IndependenceAck}
     */
    public record Data(@JsonProperty("is_independent") boolean isIndependent, boolean privacyMode, long version) {
    }
}
