package ai.moolai.control.instances;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * An orchestrator instance as the API shows it: what admins decided and how it is doing.
 *
 * @param orchestratorId      its id
 * @param organizationId      the organization it serves
 * @param organizationName    that organization's name
 * @param name                display name
 * @param location            where it runs
 * @param features            feature switches, a JSON object
 * @param independent         whether it is to run independently
 * @param privacyMode         whether it is to share nothing while independent
 * @param desiredVersion      increases with every change of the desired state
 * @param hasCredential       whether it has a token
 * @param tokenlessAllowed    whether an admin lets it connect and poll without a token (legacy clients)
 * @param credentialRotatedAt when its token was last issued
 * @param createdAt           when it was created
 * @param updatedAt           when its desired state last changed
 * @param liveness            how it is doing
 */
record Instance(String orchestratorId, String organizationId, String organizationName, String name,
                       String location, JsonNode features, boolean independent, boolean privacyMode,
                       long desiredVersion, boolean hasCredential, boolean tokenlessAllowed, Instant credentialRotatedAt, Instant createdAt,
                       Instant updatedAt, Liveness liveness) {

    /**
     * Materialized from {@code orchestrator.liveness.v1}.
     *
     * @param status                       PENDING, ACTIVE, INACTIVE, INDEPENDENT or UNKNOWN (its edge could not be heard)
     * @param reason                       why
     * @param since                        since when
     * @param lastSeen                     its latest heartbeat or connection
     * @param connected                    whether a session is open
     * @param sessionId                    its latest session
     * @param edgeId                       the edge holding it
     * @param independenceRequestedVersion the desired-state version that asked for the current mode
     * @param independenceAckedVersion     the version the orchestrator acknowledged
     */
    record Liveness(String status, String reason, Instant since, Instant lastSeen, boolean connected,
                           String sessionId, String edgeId, Long independenceRequestedVersion,
                           Long independenceAckedVersion) {
    }

    /**
     * A new instance with its token, shown this once.
     *
     * @param instance the instance
     * @param token    the orchestrator's token ({@code ORCHESTRATOR_TOKEN})
     */
    @Schema(name = "InstanceWithToken")
    record WithToken(Instance instance, String token) {
    }
}
