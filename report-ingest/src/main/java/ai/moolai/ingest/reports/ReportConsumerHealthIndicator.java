package ai.moolai.ingest.reports;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/** The report consumer's health: running, and not stuck retrying a batch (paused, typically while the database is away). */
@Component
class ReportConsumerHealthIndicator implements HealthIndicator {

    private final KafkaListenerEndpointRegistry listeners;

    ReportConsumerHealthIndicator(KafkaListenerEndpointRegistry listeners) {
        this.listeners = listeners;
    }

    @Override
    public Health health() {
        MessageListenerContainer container = listeners.getListenerContainer("report-ingest");
        if (container == null || !container.isRunning()) {
            return Health.down().withDetail("consumer", "not running").build();
        }
        boolean retrying = container.isPauseRequested() || container.isContainerPaused();
        return (retrying ? Health.outOfService() : Health.up())
                .withDetail("consumer", retrying ? "paused, retrying a batch" : "consuming")
                .withDetail("assignedPartitions", container.getAssignedPartitions() == null ? 0
                        : container.getAssignedPartitions().size())
                .build();
    }
}
