package ai.moolai.protocol.ws;

/**
 * A frame the controller could not accept; the session stays open.
 *
 * @param code    machine-readable, one of {@link ErrorCode}'s wire names
 * @param message for humans
 * @param ref     the offending frame's {@code message_id}, when it had one
 */
public record ErrorFrame(String code, String message, String ref) implements OutboundFrame {

    public ErrorFrame(ErrorCode code, String message, String ref) {
        this(code.wireName(), message, ref);
    }
}
