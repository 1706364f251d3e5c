package ai.moolai.control.instances;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * An orchestrator's independence, in the seed's snake_case, with the handshake's progress.
 *
 * @param orchestratorId the orchestrator
 * @param isIndependent  what admins decided
 * @param privacyMode    whether it shares nothing while independent
 * @param version        the desired-state version carrying the decision
 * @param status         its liveness status
 * @param acknowledged   whether the orchestrator has confirmed this version
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record Independence(String orchestratorId, @JsonProperty("is_independent") boolean isIndependent,
                           boolean privacyMode, long version, String status, boolean acknowledged) {
}
