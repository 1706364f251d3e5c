package ai.moolai.control.instances;

import ai.moolai.control.outbox.Outbox;
import ai.moolai.protocol.kafka.Topics;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Queues each new desired state (a tombstone on deletion) for {@code orchestrator.desired-state.v1}. */
@Component
class DesiredStates {

    private final Outbox outbox;

    DesiredStates(Outbox outbox) {
        this.outbox = outbox;
    }

    @EventListener
    void publish(OrchestratorEvent event) {
        outbox.append(Topics.DESIRED_STATE, event.targetId(), event.state());
    }
}
