package ai.moolai.control.instances;

import java.time.Instant;
import java.util.Map;

import ai.moolai.control.activity.Audited;
import ai.moolai.control.system.Actor;

/**
 * An admin rejected an orchestrator's enrolment: the edges refuse it until {@code until}.
 *
 * @param targetId the id refused
 * @param until    until when
 * @param actor    who rejected it
 */
record EnrolmentRejected(String targetId, Instant until, Actor actor) implements Audited {

    @Override
    public String action() {
        return "orchestrator.enrolment.rejected";
    }

    @Override
    public String targetType() {
        return "orchestrator";
    }

    @Override
    public Map<String, ?> details() {
        return Map.of("until", until.toString());
    }
}
