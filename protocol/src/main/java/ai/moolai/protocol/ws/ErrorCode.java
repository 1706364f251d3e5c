package ai.moolai.protocol.ws;

import java.util.Locale;

/** Why a frame was refused, as sent in {@link ErrorFrame#code()}. */
public enum ErrorCode {
    /** Not JSON, not an object, or nested deeper than allowed. */
    INVALID_JSON,
    /** JSON without a {@code type}, or with fields of the wrong shape. */
    INVALID_MESSAGE,
    /** A {@code type} this protocol does not define. */
    UNKNOWN_TYPE,
    /** A binary frame; the protocol is text only. */
    BINARY_NOT_SUPPORTED,
    /** A frame that is valid but not allowed at this point of the session. */
    UNEXPECTED_MESSAGE,
    /** More messages per second than the session may send. */
    RATE_LIMITED,
    /** The controller could not make the report durable now; resend later. */
    UNAVAILABLE,
    /** The session waits for an admin's approval: nothing but heartbeats is taken until then. */
    PENDING_APPROVAL;

    /** The name on the wire, such as {@code invalid_message}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
