package ai.moolai.protocol.kafka;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why an orchestrator has the liveness status it has. */
public enum LivenessReason {
    REGISTERED,
    CONNECTED,
    HEARTBEAT,
    HEARTBEAT_TIMEOUT,
    DISCONNECTED,
    INDEPENDENCE_REQUESTED,
    INDEPENDENCE_CONFIRMED,
    INDEPENDENCE_REVOKED,
    /** Its edge's beacon stopped: the edge died, or cannot reach Kafka. */
    EDGE_LOST,
    /** Its edge's beacon says it cannot publish what it receives. */
    EDGE_CANNOT_PUBLISH;

    /** The name on the wire, such as {@code heartbeat_timeout}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason with this wire name. */
    @JsonCreator
    public static LivenessReason fromWire(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
