package ai.moolai.protocol.ws;

import java.util.UUID;

import ai.moolai.protocol.Storable;
import ai.moolai.protocol.Timestamps;
import tools.jackson.databind.JsonNode;

/** Checks the frame records share. */
final class Frames {

    private Frames() {
    }

    static void requireMessageId(UUID messageId) {
        if (messageId == null) {
            throw new IllegalArgumentException("message_id is required (a UUID)");
        }
    }

    static void requireObject(String field, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(field + " must be a JSON object");
        }
        Storable.require(field, node);
    }

    /** A client's timestamp may be unreadable (it is evidence only), but one that reads must be storable. */
    static void requireStorableTime(String field, String timestamp) {
        Timestamps.parse(timestamp).flatMap(at -> Storable.problem(field, at)).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }
}
