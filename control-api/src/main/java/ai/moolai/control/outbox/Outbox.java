package ai.moolai.control.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.service.tracing.Traces;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends a record to publish, in the transaction of the change it announces: both commit or
 * neither does. After the commit the relay is woken at once.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final OutboxRelay relay;
    private final Traces traces;

    Outbox(JdbcClient jdbc, OutboxRelay relay, Traces traces) {
        this.jdbc = jdbc;
        this.relay = relay;
        this.traces = traces;
    }

    /**
     * What waits for the relay.
     *
     * @param rows             changes not yet published
     * @param oldestAgeSeconds how long the oldest of them has waited; null when none does
     */
    public record Backlog(long rows, Double oldestAgeSeconds) {
    }

    /** What waits for the relay now, by the database's clock. */
    public static Backlog backlog(JdbcClient jdbc) {
        return jdbc.sql("""
                        SELECT count(*) AS backlog, CAST(EXTRACT(EPOCH FROM now() - min(created_at)) AS double precision) AS age
                        FROM outbox WHERE published_at IS NULL""")
                .query((rs, n) -> new Backlog(rs.getLong("backlog"), (Double) rs.getObject("age", Double.class)))
                .single();
    }

    /**
     * Queues {@code value} (a tombstone when {@code null}) for {@code topic} under {@code key}, with
     * the trace of what queued it (an admin's request), which its record carries on.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <V> void append(Topic<V> topic, String key, V value) {
        jdbc.sql("""
                        INSERT INTO outbox (topic, message_key, payload, trace_parent)
                        VALUES (:topic, :key, CAST(:payload AS jsonb), :trace)""")
                .param("topic", topic.name())
                .param("key", key)
                .param("payload", value == null ? null : Json.events().writeValueAsString(value))
                .param("trace", traces.current())
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }

    /**
     * The database's clock, the one that stamps a row as published. Read before a topic is read, it
     * lets {@link #queuedSince} name the rows the relay may have published after that read.
     */
    public Instant clock() {
        return jdbc.sql("SELECT clock_timestamp()").query((rs, n) -> rs.getTimestamp(1).toInstant()).single();
    }

    /**
     * The latest row queued for the topic under each key, among those not published before
     * {@code since}: still waiting for the relay, or published at {@code since} or later. Keys without
     * such a row are absent.
     */
    public <V> Map<String, Queued<V>> queuedSince(Topic<V> topic, Instant since) {
        Map<String, Queued<V>> queued = new HashMap<>();
        var values = topic.valueSerde().deserializer();
        jdbc.sql("""
                        SELECT DISTINCT ON (message_key) message_key, payload::text AS payload FROM outbox
                        WHERE topic = :topic AND (published_at IS NULL OR published_at >= :since)
                        ORDER BY message_key, id DESC""")
                .param("topic", topic.name())
                .param("since", Timestamp.from(since))
                .query(rs -> {
                    String payload = rs.getString("payload");
                    queued.put(rs.getString("message_key"), new Queued<>(payload == null ? null
                            : values.deserialize(topic.name(), payload.getBytes(StandardCharsets.UTF_8))));
                });
        return queued;
    }

    /**
     * A value waiting in the outbox, or published lately.
     *
     * @param value what goes out; {@code null} for a tombstone
     * @param <V>   the topic's value type
     */
    public record Queued<V>(V value) {

        /** Whether it deletes its key. */
        public boolean isTombstone() {
            return value == null;
        }
    }
}
