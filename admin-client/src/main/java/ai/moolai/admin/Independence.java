package ai.moolai.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * An orchestrator's independence and how far the handshake has come, in the seed's snake_case.
 *
 * @param orchestratorId the orchestrator
 * @param isIndependent  whether admins set it free
 * @param privacyMode    whether it shares nothing while free
 * @param version        the desired-state version carrying the decision
 * @param status         its liveness status
 * @param acknowledged   whether it has confirmed that version
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Independence(String orchestratorId, @JsonProperty("is_independent") boolean isIndependent,
                           boolean privacyMode, long version, String status, boolean acknowledged) {
}
