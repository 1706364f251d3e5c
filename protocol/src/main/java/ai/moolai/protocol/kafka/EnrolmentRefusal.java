package ai.moolai.protocol.kafka;

import java.time.Instant;

/**
 * An admin rejected an orchestrator's enrolment: every edge closes its waiting session with 4403
 * and refuses it a place in the waiting room until {@code until}.
 *
 * @param orchestratorId the id refused
 * @param until          when the edges take it into the waiting room again
 * @param at             when the admin rejected it
 */
public record EnrolmentRefusal(String orchestratorId, Instant until, Instant at) implements TopicValue {
}
