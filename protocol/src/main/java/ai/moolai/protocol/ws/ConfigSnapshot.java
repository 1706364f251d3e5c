package ai.moolai.protocol.ws;

import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * The orchestrator's current configuration, published as a report of kind {@code config_snapshot}.
 *
 * @param messageId an optional idempotency key; the edge assigns one when absent
 * @param timestamp when it was taken, as sent
 * @param data      the configuration, a JSON object
 */
public record ConfigSnapshot(UUID messageId, String timestamp, JsonNode data) implements InboundFrame {

    public ConfigSnapshot {
        Frames.requireObject("data", data);
        Frames.requireStorableTime("timestamp", timestamp);
    }
}
