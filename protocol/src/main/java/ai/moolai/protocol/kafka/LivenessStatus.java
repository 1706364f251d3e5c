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
    INDEPENDENT
}
