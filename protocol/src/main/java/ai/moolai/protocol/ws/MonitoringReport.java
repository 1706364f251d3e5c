package ai.moolai.protocol.ws;

import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A monitoring report: free-form metrics, acknowledged with {@link ReportAck} once durable.
 *
 * @param messageId the client-generated idempotency key
 * @param timestamp when the orchestrator produced it, as sent
 * @param data      the metrics, a JSON object
 */
public record MonitoringReport(UUID messageId, String timestamp, JsonNode data) implements InboundFrame {

    public MonitoringReport {
        Frames.requireMessageId(messageId);
        Frames.requireObject("data", data);
        Frames.requireStorableTime("timestamp", timestamp);
    }
}
