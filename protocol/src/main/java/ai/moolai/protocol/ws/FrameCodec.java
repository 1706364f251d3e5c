package ai.moolai.protocol.ws;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ai.moolai.protocol.Json;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns text frames into frame records and back. Decoding never throws: malformed input becomes
 * a {@link Decoded.Rejected} the caller answers with an {@code error} frame.
 */
public final class FrameCodec {

    private static final JsonMapper MAPPER = Json.frames();
    private static final Map<String, Class<?>> INBOUND = typesOf(InboundFrame.class);
    private static final Map<String, Class<?>> OUTBOUND = typesOf(OutboundFrame.class);
    private static final Map<Class<?>, String> NAMES = Stream.concat(INBOUND.entrySet().stream(), OUTBOUND.entrySet().stream())
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    private FrameCodec() {
    }

    /** Decodes a frame an orchestrator sent. */
    public static Decoded<InboundFrame> decodeInbound(String text) {
        return decode(text, INBOUND, InboundFrame.class);
    }

    /** Decodes a frame the controller sent (the agent's side). */
    public static Decoded<OutboundFrame> decodeOutbound(String text) {
        return decode(text, OUTBOUND, OutboundFrame.class);
    }

    /** The wire {@code type} of a frame of either direction, such as {@code i_am_alive}. */
    public static String typeOf(Object frame) {
        return NAMES.get(frame.getClass());
    }

    /** Encodes a frame of either direction, {@code type} first. */
    public static String encode(Object frame) {
        return MAPPER.writeValueAsString(frame);
    }

    private static <F> Decoded<F> decode(String text, Map<String, Class<?>> types, Class<F> direction) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (StreamConstraintsException tooDeep) {
            return new Decoded.Rejected<>(ErrorCode.INVALID_JSON, null,
                    "JSON nested deeper than " + Json.MAX_DEPTH + " levels", null);
        } catch (JacksonException notJson) {
            return new Decoded.Rejected<>(ErrorCode.INVALID_JSON, null, "not valid JSON: " + firstLine(notJson), null);
        }
        if (tree == null || !tree.isObject()) {
            return new Decoded.Rejected<>(ErrorCode.INVALID_JSON, null, "a frame must be a JSON object", null);
        }
        JsonNode type = tree.get("type");
        String ref = tree.path("message_id").isString() ? tree.get("message_id").asString() : null;
        if (type == null || !type.isString()) {
            return new Decoded.Rejected<>(ErrorCode.INVALID_MESSAGE, null, "missing string field 'type'", ref);
        }
        if (!types.containsKey(type.asString())) {
            return new Decoded.Rejected<>(ErrorCode.UNKNOWN_TYPE, null, "unknown type '" + type.asString() + "'", ref);
        }
        try {
            return new Decoded.Ok<>(MAPPER.treeToValue(tree, direction));
        } catch (DatabindException | StreamReadException invalid) {
            return new Decoded.Rejected<>(ErrorCode.INVALID_MESSAGE, type.asString(),
                    type.asString() + ": " + describe(invalid), ref);
        }
    }

    private static String describe(JacksonException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException invalid && invalid.getMessage() != null) {
            return invalid.getMessage();
        }
        String path = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return (path.isEmpty() ? "" : "field '" + path + "': ") + firstLine(e);
    }

    private static String firstLine(JacksonException e) {
        String message = e.getOriginalMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    private static Map<String, Class<?>> typesOf(Class<?> direction) {
        return Arrays.stream(direction.getAnnotation(JsonSubTypes.class).value())
                .collect(Collectors.toUnmodifiableMap(JsonSubTypes.Type::name, JsonSubTypes.Type::value));
    }
}
