package ai.moolai.protocol.ws;

/**
 * The heartbeat of older orchestrator builds, which an older controller accepted in place of
 * {@code i_am_alive}; it counts as one.
 *
 * @param timestamp the client's clock, as sent
 * @param seq       an optional counter the client increments
 */
public record Keepalive(String timestamp, Long seq) implements InboundFrame {

    /** The heartbeat this stands for. */
    public IAmAlive asIAmAlive() {
        return new IAmAlive(timestamp, seq);
    }
}
