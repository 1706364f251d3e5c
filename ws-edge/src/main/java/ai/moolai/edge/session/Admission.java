package ai.moolai.edge.session;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.Ids;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.ws.CloseCode;
import ai.moolai.protocol.ws.Handshake;

/**
 * Who a handshake speaks for. A token (upgrade header first, then {@code data.token}) decides the
 * orchestrator; a claimed id that differs from the token's is refused, never believed. An enrolment
 * key that an admin approved is that orchestrator's token. Without a token only an orchestrator whose
 * desired state allows tokenless sessions is admitted, under the id it claims; a registered one that
 * does not is refused. An id nobody registered waits for an admin in the waiting room. Nobody is
 * admitted by a view that is not current (the client is sent to another edge), nor as an
 * orchestrator whose desired state could not be read.
 */
sealed interface Admission {

    /**
     * Admitted as this orchestrator; {@code credentialHash} is {@code null} for a tokenless session,
     * and {@code credential} the token to hand over, once, to a session that enrolled with it.
     */
    record Admitted(DesiredState orchestrator, String credentialHash, String credential) implements Admission {

        Admitted(DesiredState orchestrator, String credentialHash) {
            this(orchestrator, credentialHash, null);
        }
    }

    /** Nobody registered the id it claims: it may wait for an admin's approval. */
    record Waiting() implements Admission {
    }

    /** Refused: close the session with this code; {@code detail} is for the log. */
    record Refused(CloseCode close, String detail) implements Admission {
    }

    static Admission decide(Handshake handshake, String bearerToken, DesiredStateView view) {
        String token = bearerToken != null ? bearerToken : blankToNull(handshake.data().token());
        String claimed = handshake.orchestratorId();
        if (!view.isCurrent()) {
            return new Refused(CloseCode.EDGE_SHUTDOWN, "the desired-state view is not current");
        }
        if (view.isUnreadable(claimed) || view.isSuspended(token)) {
            return new Refused(CloseCode.TRY_AGAIN_LATER, "desired state unreadable");
        }
        if (token != null) {
            var owner = view.findByToken(token);
            if (owner.isEmpty()) {
                return new Refused(CloseCode.UNAUTHORIZED, "unknown, rotated or revoked token");
            }
            if (claimed != null && !claimed.equals(owner.get().orchestratorId())) {
                return new Refused(CloseCode.UNAUTHORIZED, "token of " + owner.get().orchestratorId() + " used for " + claimed);
            }
            return new Admitted(owner.get(), Credentials.hash(token));
        }
        Handshake.Enrolment enrolment = handshake.data().enrolment();
        if (enrolment != null) {
            var approved = view.findByToken(enrolment.key());
            if (approved.isPresent()) {
                if (claimed != null && !claimed.equals(approved.get().orchestratorId())) {
                    return new Refused(CloseCode.UNAUTHORIZED, "enrolment key of " + approved.get().orchestratorId()
                            + " used for " + claimed);
                }
                return new Admitted(approved.get(), Credentials.hash(enrolment.key()), enrolment.key());
            }
        }
        if (claimed == null) {
            return new Refused(CloseCode.UNAUTHORIZED, "no token");
        }
        var registered = view.find(claimed);
        if (registered.isEmpty()) {
            return Ids.isValid(claimed) ? new Waiting()
                    : new Refused(CloseCode.UNAUTHORIZED, "no token, and '" + claimed + "' cannot be an orchestrator id");
        }
        if (registered.get().tokenlessAllowed()) {
            // An admin let it connect without a token: an enrolment key it also sends changes nothing.
            return new Admitted(registered.get(), null);
        }
        return new Refused(CloseCode.UNAUTHORIZED, "no token, and " + claimed
                + " is registered and not allowed tokenless sessions");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
