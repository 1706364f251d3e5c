package ai.moolai.control.instances;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An organization's enrolment token as the API shows it: never the token itself, which is shown
 * once, when it is made.
 *
 * @param tokenId        its id
 * @param organizationId the organization it enrols into
 * @param description    what it is for
 * @param autoApprove    whether an orchestrator enrolling with it is approved at once
 * @param maxUses        how many orchestrators it may enrol ({@code null}: no limit)
 * @param uses           how many it enrolled
 * @param expiresAt      when it stops working
 * @param revokedAt      when an admin revoked it
 * @param createdBy      who made it
 * @param createdAt      when
 */
record EnrolmentTokenView(String tokenId, String organizationId, String description, boolean autoApprove,
                          Integer maxUses, int uses, Instant expiresAt, Instant revokedAt, String createdBy,
                          Instant createdAt) {

    /**
     * A new token, shown this once.
     *
     * @param enrolmentToken the token's record
     * @param token          the token ({@code ORCHESTRATOR_ENROLMENT_TOKEN} of the orchestrators it enrols)
     */
    @Schema(name = "EnrolmentTokenWithToken")
    record WithToken(EnrolmentTokenView enrolmentToken, String token) {
    }
}
