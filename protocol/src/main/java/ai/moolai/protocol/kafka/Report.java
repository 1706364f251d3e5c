package ai.moolai.protocol.kafka;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * A report an orchestrator sent, made durable before it is acknowledged.
 *
 * @param messageId      the client's idempotency key
 * @param orchestratorId the session's authenticated orchestrator (never a claimed id)
 * @param sessionId      the session it came on
 * @param kind           what it is
 * @param producedAt     the client's clock, when readable
 * @param receivedAt     the edge's clock
 * @param data           the frame's {@code data}, as sent
 */
public record Report(UUID messageId, String orchestratorId, String sessionId, Kind kind, Instant producedAt,
                     Instant receivedAt, JsonNode data) implements TopicValue {

    /** The kinds of report, by their frame type. */
    public enum Kind {
        @JsonProperty("monitoring_report") MONITORING_REPORT,
        @JsonProperty("recommendation") RECOMMENDATION,
        @JsonProperty("config_snapshot") CONFIG_SNAPSHOT
    }
}
