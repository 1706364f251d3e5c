package ai.moolai.admin;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * An orchestrator nobody registered that asked to be enrolled, as its handshake described it.
 *
 * @param orchestratorId the id it claims
 * @param sessionId      the session that asked; an approval names it
 * @param hostname       its host, as it reports it
 * @param version        its software version
 * @param ip             its address, as it reports it
 * @param name           the name it gives itself
 * @param location       where it says it runs
 * @param features       the features it reports
 * @param remoteAddress  the address its connection came from, as the edge saw it
 * @param keyFingerprint its enrolment key's fingerprint (it gets its token on approval), {@code null} for an original
 *                       client
 * @param waiting        whether its waiting session is open now
 * @param firstSeenAt    when it first asked
 * @param lastSeenAt     when an edge last heard it
 * @param rejectedUntil  until when the edges refuse it, if an admin rejected it
 * @param enrolmentTokenId the organization's enrolment token it enrolled with, if any
 * @param proposedOrganizationId the organization that token enrols into
 */
public record WaitingOrchestrator(String orchestratorId, String sessionId, String hostname, String version, String ip,
                                  String name, String location, JsonNode features, String remoteAddress,
                                  String keyFingerprint, boolean waiting, Instant firstSeenAt, Instant lastSeenAt,
                                  Instant rejectedUntil, String enrolmentTokenId, String proposedOrganizationId) {
}
