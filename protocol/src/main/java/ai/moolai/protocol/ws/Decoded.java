package ai.moolai.protocol.ws;

/**
 * The outcome of decoding one text frame: the frame, or why it was refused.
 *
 * @param <F> the direction's frame type
 */
public sealed interface Decoded<F> {

    /** A well-formed frame. */
    record Ok<F>(F frame) implements Decoded<F> {
    }

    /**
     * A refused frame.
     *
     * @param code    why
     * @param type    the frame's {@code type}, when it had a known one
     * @param message for humans, naming the offending field where there is one
     * @param ref     the frame's {@code message_id}, when it had a readable one
     */
    record Rejected<F>(ErrorCode code, String type, String message, String ref) implements Decoded<F> {

        /** The {@code error} frame that answers this. */
        public ErrorFrame toErrorFrame() {
            return new ErrorFrame(code, message, ref);
        }
    }
}
