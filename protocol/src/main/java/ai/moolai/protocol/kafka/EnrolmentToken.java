package ai.moolai.protocol.kafka;

import java.time.Instant;

/**
 * An organization's enrolment token as the edges know it: its hash only. An orchestrator that
 * enrols with it waits for approval into that organization, or is approved at once when the admin
 * chose so; control-api counts its uses.
 *
 * @param tokenId        the token's id
 * @param organizationId the organization it enrols into
 * @param tokenHash      {@code sha256:<hex>} of the token
 * @param expiresAt      when it stops working
 * @param revoked        whether an admin revoked it
 * @param autoApprove    whether an orchestrator enrolling with it is approved without an admin
 * @param at             when this version was committed
 */
public record EnrolmentToken(String tokenId, String organizationId, String tokenHash, Instant expiresAt,
                             boolean revoked, boolean autoApprove, Instant at) implements TopicValue {

    /** Whether it enrols anyone at {@code now}. */
    public boolean validAt(Instant now) {
        return !revoked && now.isBefore(expiresAt);
    }
}
