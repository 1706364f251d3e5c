package ai.moolai.liveness.topology;

import ai.moolai.protocol.kafka.LivenessStatus;

/** What the topology reports as it works, for metrics. Called on stream threads. */
public interface LivenessListener {

    /** Does nothing. */
    LivenessListener NONE = new LivenessListener() {
    };

    /**
     * One orchestrator moved between statuses; {@code from} is {@code null} when it became known to
     * this instance, {@code to} is {@code null} when it was deleted or moved to another instance.
     */
    default void moved(LivenessStatus from, LivenessStatus to) {
    }

    /** A transition was emitted. */
    default void transitioned(LivenessStatus from, LivenessStatus to) {
    }

    /** One expiry check ran: how long it took and what it found due. */
    default void punctuated(long nanos, int deadlinesDue, int windowsDue) {
    }

    /** A record went to a dead-letter topic. */
    default void deadLettered(String topic) {
    }
}
