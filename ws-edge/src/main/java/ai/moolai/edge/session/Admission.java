package ai.moolai.edge.session;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.ws.CloseCode;
import ai.moolai.protocol.ws.Handshake;

/**
 * Who a handshake speaks for. A token (upgrade header first, then {@code data.token}) decides the
 * orchestrator; a claimed id that differs from the token's is refused, never believed. Without a
 * token only an orchestrator whose desired state allows tokenless sessions is admitted, under the id
 * it claims; any other tokenless handshake is refused alike, so a refusal does not tell which ids are
 * registered. Nobody is admitted by a view that is
 * not current (the client is sent to another edge), nor as an orchestrator whose desired state
 * could not be read.
 */
sealed interface Admission {

    /** Admitted as this orchestrator; {@code credentialHash} is {@code null} for a tokenless session. */
    record Admitted(DesiredState orchestrator, String credentialHash) implements Admission {
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
        return view.find(claimed)
                .filter(DesiredState::tokenlessAllowed)
                .<Admission>map(orchestrator -> new Admitted(orchestrator, null))
                .orElseGet(() -> new Refused(CloseCode.UNAUTHORIZED, claimed == null ? "no token"
                        : "no token, and " + claimed + " is not allowed tokenless sessions (or is not registered)"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
