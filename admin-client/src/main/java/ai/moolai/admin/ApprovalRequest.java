package ai.moolai.admin;

/**
 * An admin's approval of an enrolment.
 *
 * @param sessionId      the request's session, as read: a request replaced since is not approved (409)
 * @param organizationId the organization the orchestrator joins
 * @param name           its display name ({@code null}: the name it gave itself, else its id)
 * @param location       where it runs ({@code null}: where it says it runs)
 * @param allowTokenless required for an original client (no key): it may connect without a token
 */
public record ApprovalRequest(String sessionId, String organizationId, String name, String location,
                              Boolean allowTokenless) {
}
