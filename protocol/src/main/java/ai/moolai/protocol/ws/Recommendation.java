package ai.moolai.protocol.ws;

import java.util.Set;
import java.util.UUID;

import ai.moolai.protocol.Storable;
import tools.jackson.databind.JsonNode;

/**
 * A recommendation an orchestrator makes for an admin to accept or reject.
 *
 * @param messageId the client-generated idempotency key
 * @param timestamp when the orchestrator produced it, as sent
 * @param data      what it recommends
 */
public record Recommendation(UUID messageId, String timestamp, Data data) implements InboundFrame {

    /** The severities a recommendation may have. */
    public static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");

    public Recommendation {
        Frames.requireMessageId(messageId);
        if (data == null) {
            throw new IllegalArgumentException("data is required");
        }
        Frames.requireStorableTime("timestamp", timestamp);
    }

    /**
     * @param title          a short summary, 1 to 200 characters
     * @param description    the explanation
     * @param severity       {@code info}, {@code warning} or {@code critical}
     * @param category       a free-form grouping such as {@code performance}
     * @param proposedAction what accepting it would do, a JSON object, optional
     */
    public record Data(String title, String description, String severity, String category,
                       JsonNode proposedAction) {

        public Data {
            if (title == null || title.isBlank() || title.length() > 200) {
                throw new IllegalArgumentException("data.title is required, at most 200 characters");
            }
            if (severity == null) {
                severity = "info";
            }
            if (!SEVERITIES.contains(severity)) {
                throw new IllegalArgumentException("data.severity must be one of info, warning, critical");
            }
            if (proposedAction != null && !proposedAction.isNull()) {
                Frames.requireObject("data.proposed_action", proposedAction);
            }
            Storable.require("data.title", title);
            Storable.require("data.description", description);
            Storable.require("data.category", category);
        }
    }
}
