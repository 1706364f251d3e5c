package ai.moolai.control.instances;

import java.util.Map;

import ai.moolai.control.activity.Audited;
import ai.moolai.control.system.Actor;
import ai.moolai.protocol.kafka.DesiredState;

/**
 * What happened to an orchestrator's desired state: {@link DesiredStates} queues the new state (a
 * tombstone on deletion) and the activity log records the action, both in the change's transaction.
 */
sealed interface OrchestratorEvent extends Audited {

    /** The new desired state; {@code null} once deleted. */
    DesiredState state();

    @Override
    default String targetType() {
        return "orchestrator";
    }

    @Override
    default String targetId() {
        return state().orchestratorId();
    }

    record Registered(DesiredState state, Actor actor) implements OrchestratorEvent {

        @Override
        public String action() {
            return "orchestrator.created";
        }

        @Override
        public Map<String, ?> details() {
            return Map.of("organizationId", state.organizationId());
        }
    }

    /** An admin approved the enrolment of an orchestrator that connected unregistered. */
    record Enrolled(DesiredState state, Actor actor) implements OrchestratorEvent {

        @Override
        public String action() {
            return "orchestrator.enrolment.approved";
        }

        @Override
        public Map<String, ?> details() {
            return Map.of("organizationId", state.organizationId(), "tokenless", state.tokenlessAllowed());
        }
    }

    record Changed(DesiredState state, String name, String location, Actor actor) implements OrchestratorEvent {

        @Override
        public String action() {
            return "orchestrator.updated";
        }

        @Override
        public Map<String, ?> details() {
            return Map.of("name", String.valueOf(name), "location", String.valueOf(location));
        }
    }

    record CredentialRotated(DesiredState state, Actor actor) implements OrchestratorEvent {

        @Override
        public String action() {
            return "orchestrator.credentials.rotated";
        }

        @Override
        public Map<String, ?> details() {
            return Map.of("tokenlessAllowed", state.tokenlessAllowed());
        }
    }

    record TokenlessSet(DesiredState state, boolean holdsToken, Actor actor) implements OrchestratorEvent {

        @Override
        public String action() {
            return "orchestrator.tokenless.set";
        }

        @Override
        public Map<String, ?> details() {
            return Map.of("allowed", state.tokenlessAllowed(), "holdsToken", holdsToken, "version", state.version());
        }
    }

    record IndependenceSet(DesiredState state, Actor actor) implements OrchestratorEvent {

        @Override
        public String action() {
            return "orchestrator.independence.set";
        }

        @Override
        public Map<String, ?> details() {
            return Map.of("independent", state.independent(), "privacyMode", state.privacyMode(),
                    "version", state.version());
        }
    }

    record Deleted(String targetId, Actor actor) implements OrchestratorEvent {

        @Override
        public DesiredState state() {
            return null;
        }

        @Override
        public String action() {
            return "orchestrator.deleted";
        }

        @Override
        public Map<String, ?> details() {
            return Map.of();
        }
    }
}
