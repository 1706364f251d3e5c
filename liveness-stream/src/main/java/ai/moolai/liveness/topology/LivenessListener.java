package ai.moolai.liveness.topology;

import ai.moolai.protocol.kafka.LivenessStatus;

/** What the topology reports as it works, for metrics and progress. Called on stream threads. */
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

    /** An orchestrator became ACTIVE again soon after it went INACTIVE (see {@link OrchestratorLiveness#FLAP_WITHIN_MILLIS}). */
    default void flapped() {
    }

    /** One expiry check ran: how long it took and what it found due. */
    default void punctuated(long nanos, int deadlinesDue, int windowsDue) {
    }

    /**
     * An input record is about to be processed; {@code recordTimestamp} is its record time. Called
     * for every record, so it must cost next to nothing.
     */
    default void processing(long recordTimestamp) {
    }

    /** The record announced by {@link #processing} is done: applied, or refused and thrown for its handler. */
    default void processed() {
    }

    /** This listener, then {@code next}, for every event. */
    default LivenessListener andThen(LivenessListener next) {
        LivenessListener first = this;
        return new LivenessListener() {
            @Override
            public void moved(LivenessStatus from, LivenessStatus to) {
                first.moved(from, to);
                next.moved(from, to);
            }

            @Override
            public void transitioned(LivenessStatus from, LivenessStatus to) {
                first.transitioned(from, to);
                next.transitioned(from, to);
            }

            @Override
            public void flapped() {
                first.flapped();
                next.flapped();
            }

            @Override
            public void punctuated(long nanos, int deadlinesDue, int windowsDue) {
                first.punctuated(nanos, deadlinesDue, windowsDue);
                next.punctuated(nanos, deadlinesDue, windowsDue);
            }

            @Override
            public void processing(long recordTimestamp) {
                first.processing(recordTimestamp);
                next.processing(recordTimestamp);
            }

            @Override
            public void processed() {
                first.processed();
                next.processed();
            }
        };
    }
}
