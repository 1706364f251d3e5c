package ai.moolai.control.instances;

import ai.moolai.control.system.Ids;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * An admin's approval of an enrolment.
 *
 * @param sessionId      the request's {@code sessionId} as the admin saw it: a request replaced since (another
 *                       session claiming the id, perhaps another key) is not approved (409)
 * @param organizationId the organization the orchestrator joins (create it first to enrol into a new one)
 * @param name           its display name; by default the name it gave itself, else its id
 * @param location       where it runs; by default where it says it runs
 * @param allowTokenless required for an original client (no enrolment key): the admin's word that it may connect
 *                       without a token
 */
record ApprovalRequest(
        @NotNull String sessionId,
        @NotNull @Pattern(regexp = Ids.PATTERN, message = "letters, digits, '.', '_' or '-', at most 64") String organizationId,
        @Size(min = 1, max = 200) String name,
        @Size(max = 200) String location,
        Boolean allowTokenless) {
}
