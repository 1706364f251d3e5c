package ai.moolai.protocol.ws;

import java.util.UUID;

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
    }
}
