package ai.moolai.control.instances;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An orchestrator's independence, in the seed's snake_case (each name spelled out, so that the API
 * document has it as the API answers it), with the handshake's progress.
 *
 * @param orchestratorId the orchestrator
 * @param isIndependent  what admins decided
 * @param privacyMode    whether it shares nothing while independent
 * @param version        the desired-state version carrying the decision
 * @param status         its liveness status
 * @param acknowledged   whether the orchestrator has confirmed this version
 */
record Independence(@JsonProperty("orchestrator_id") String orchestratorId,
                    @JsonProperty("is_independent") boolean isIndependent,
                    @JsonProperty("privacy_mode") boolean privacyMode, long version, String status, boolean acknowledged) {
}
