package ai.moolai.admin;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * An orchestrator instance: what admins decided for it and how it is doing.
 *
 * @param orchestratorId      its id
 * @param organizationId      the organization it serves
 * @param organizationName    that organization's name
 * @param name                its display name
 * @param location            where it runs
 * @param features            its feature switches, a JSON object
 * @param independent         whether it is set free
 * @param privacyMode         whether it shares nothing while free
 * @param desiredVersion      its desired state's version, raised by every change
 * @param hasCredential       whether it holds a token
 * @param tokenlessAllowed    whether it may connect and poll without a token
 * @param credentialRotatedAt when its token was issued
 * @param createdAt           when it was created
 * @param updatedAt           when its desired state last changed
 * @param liveness            how it is doing
 */
public record Instance(String orchestratorId, String organizationId, String organizationName, String name,
                       String location, JsonNode features, boolean independent, boolean privacyMode, long desiredVersion,
                       boolean hasCredential, boolean tokenlessAllowed, Instant credentialRotatedAt, Instant createdAt,
                       Instant updatedAt, Liveness liveness) {

    /**
     * How an orchestrator is doing, as liveness-stream decided.
     *
     * @param status                       {@code PENDING}, {@code ACTIVE}, {@code INACTIVE} or {@code INDEPENDENT}
     * @param reason                       why ({@code connected}, {@code heartbeat_timeout}, …)
     * @param since                        since when
     * @param lastSeen                     its latest heartbeat or connection
     * @param connected                    whether it holds a session now
     * @param sessionId                    its latest session
     * @param edgeId                       the edge holding that session
     * @param independenceRequestedVersion the desired-state version that asked for its current mode
     * @param independenceAckedVersion     the version it confirmed
     */
    public record Liveness(String status, String reason, Instant since, Instant lastSeen, boolean connected,
                           String sessionId, String edgeId, Long independenceRequestedVersion,
                           Long independenceAckedVersion) {
    }

    /**
     * The answer to creating an orchestrator or rotating its token: the only time the token is shown.
     *
     * @param instance the orchestrator
     * @param token    its token, the agent's {@code ORCHESTRATOR_TOKEN}
     */
    public record WithToken(Instance instance, String token) {

        /** The new orchestrator's id. */
        public String orchestratorId() {
            return instance.orchestratorId();
        }
    }
}
