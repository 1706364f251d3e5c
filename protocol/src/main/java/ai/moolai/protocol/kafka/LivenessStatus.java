package ai.moolai.protocol.kafka;

/** An orchestrator's liveness. */
public enum LivenessStatus {
    /** Registered, never seen. */
    PENDING,
    /** Heartbeating, or just connected. */
    ACTIVE,
    /** Not heard from within the TTL, or closed cleanly. */
    INACTIVE,
    /** Deliberately set free by an admin: heartbeats are neither expected nor counted. */
    INDEPENDENT,
    /**
     * Silent for the TTL while its edge could not be heard (no beacon, or one saying it cannot
     * publish): whether it is alive is not known. It is not declared INACTIVE for what may be the
     * edge's or the pipeline's silence.
     */
    UNKNOWN
}
