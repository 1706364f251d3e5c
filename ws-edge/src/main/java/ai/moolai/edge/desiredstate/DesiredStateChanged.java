package ai.moolai.edge.desiredstate;

import java.util.Objects;

import ai.moolai.protocol.kafka.DesiredState;

/**
 * One orchestrator's desired state changed.
 *
 * @param orchestratorId the orchestrator
 * @param before         what it was ({@code null}: unknown until now)
 * @param after          what it is ({@code null}: deleted)
 * @param traceparent    the trace of the change (the admin's request that made it), if its record carried one
 */
public record DesiredStateChanged(String orchestratorId, DesiredState before, DesiredState after, String traceparent) {

    /** Whether the change touches what an {@code independence_update} carries. */
    public boolean independenceChanged() {
        return before != null && after != null
                && (before.independent() != after.independent() || before.privacyMode() != after.privacyMode());
    }

    /** Whether the orchestrator's token was rotated or removed. */
    public boolean credentialChanged() {
        return before != null && after != null && !Objects.equals(before.credentialHash(), after.credentialHash());
    }

    /**
     * Whether a session admitted without a token must end: tokenless sessions are no longer
     * allowed, or a token was issued (a rotation ends them even where an admin kept them allowed,
     * so none outlives a rotation unnoticed).
     */
    public boolean endsTokenlessSessions() {
        return after != null && (!after.tokenlessAllowed() || credentialChanged());
    }
}
