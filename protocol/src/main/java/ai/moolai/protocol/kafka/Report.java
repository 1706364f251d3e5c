package ai.moolai.protocol.kafka;

import java.time.Instant;
import java.util.UUID;

import java.util.Optional;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.Storable;
import ai.moolai.protocol.ws.Recommendation;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.core.JacksonException;
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

    /**
     * Why this report cannot be stored, if it cannot: the rules the edge applies to the frame it
     * came from ({@link Storable}, and a recommendation's own), checked again for what reaches the
     * topic by another way.
     */
    public Optional<String> problem() {
        if (messageId == null || orchestratorId == null || orchestratorId.isBlank() || kind == null || receivedAt == null
                || data == null || !data.isObject()) {
            return Optional.of("messageId, orchestratorId, kind, receivedAt and an object data are required");
        }
        Optional<String> unstorable = Storable.problem("orchestratorId", orchestratorId)
                .or(() -> Storable.problem("sessionId", sessionId))
                .or(() -> Storable.problem("producedAt", producedAt))
                .or(() -> Storable.problem("receivedAt", receivedAt))
                .or(() -> Storable.problem("data", data));
        if (unstorable.isPresent() || kind != Kind.RECOMMENDATION) {
            return unstorable;
        }
        try {
            Json.frames().treeToValue(data, Recommendation.Data.class);
            return Optional.empty();
        } catch (JacksonException invalid) {
            Throwable cause = invalid.getCause() instanceof IllegalArgumentException rule ? rule : invalid;
            return Optional.of("not a recommendation: " + cause.getMessage());
        }
    }

    /** The kinds of report, by their frame type. */
    public enum Kind {
        @JsonProperty("monitoring_report") MONITORING_REPORT,
        @JsonProperty("recommendation") RECOMMENDATION,
        @JsonProperty("config_snapshot") CONFIG_SNAPSHOT
    }
}
