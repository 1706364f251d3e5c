package ai.moolai.admin;

/**
 * An admin's approval of an enrolment.
 *
 * @param organizationId the organization the orchestrator joins
 * @param name           its display name ({@code null}: the name it gave itself, else its id)
 * @param location       where it runs ({@code null}: where it says it runs)
 */
public record ApprovalRequest(String organizationId, String name, String location) {
}
