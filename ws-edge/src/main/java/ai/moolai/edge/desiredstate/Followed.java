package ai.moolai.edge.desiredstate;

/**
 * What a {@link TopicFollower} read at one offset: a value, a tombstone, or a record it could not
 * read. The key is known in every case, so whoever follows a keyed topic can act for the id
 * concerned even when its record is unreadable.
 *
 * @param <V> the topic's value type
 */
public sealed interface Followed<V> {

    /** The record's key, the orchestrator id; {@code null} only for a record published without one. */
    String key();

    /**
     * A record read by the topic's contract.
     *
     * @param value       the value; {@code null} for a tombstone
     * @param traceparent the trace the record carries (its {@code traceparent} header), if any
     */
    record Value<V>(String key, V value, String traceparent) implements Followed<V> {
    }

    /**
     * A record that breaks its topic's contract, already logged and counted by the follower.
     *
     * @param reason why it could not be read, for humans
     */
    record Unreadable<V>(String key, String reason) implements Followed<V> {
    }
}
