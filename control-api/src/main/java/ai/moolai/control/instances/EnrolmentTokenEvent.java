package ai.moolai.control.instances;

import java.util.Map;

import ai.moolai.control.activity.Audited;
import ai.moolai.control.system.Actor;

/**
 * An enrolment token was made or revoked.
 *
 * @param targetId the token's id
 * @param action   {@code enrolment-token.created} or {@code enrolment-token.revoked}
 * @param details  its organization and terms
 * @param actor    who did it
 */
record EnrolmentTokenEvent(String targetId, String action, Map<String, ?> details, Actor actor) implements Audited {

    @Override
    public String targetType() {
        return "enrolment-token";
    }
}
