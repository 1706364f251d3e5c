package ai.moolai.control.liveness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ai.moolai.control.events.LiveFeed;
import ai.moolai.database.TextArrays;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessTransition;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.RecordBatches;
import ai.moolai.service.consumer.RecordReader;
import ai.moolai.service.consumer.ReplayingListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Materializes liveness into PostgreSQL, a batch at a time through service-support's
 * {@link RecordBatches}, each batch one multi-row statement: the current state into
 * {@code orchestrator_instances} (never overwritten by an older record), transitions (replays
 * insert nothing twice) and windows (a later record of a window replaces it). Every write is
 * idempotent, so a batch split to isolate a record the database refuses, or retried after an
 * outage, stores nothing twice. Offsets are committed after the database commit; a status change
 * is announced to the dashboards of every replica in the same transaction, and so is word of new
 * transitions: they are materialized apart from
 * the status, so whatever the dashboard reads from them (an orchestrator's history, who changed
 * status in the last minute) is read again once they are stored, not only when the status is.
 */
@Component
class LivenessMaterializer extends ReplayingListener {

    static final String STATE = "liveness-state";
    static final String TRANSITIONS = "liveness-transitions";
    static final String WINDOWS = "liveness-windows";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final LiveFeed live;
    private final RecordBatches batches;

    LivenessMaterializer(JdbcTemplate jdbc, TransactionTemplate transactions, LiveFeed live, RecordBatches batches) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.live = live;
        this.batches = batches;
    }

    @KafkaListener(id = STATE, topics = "#{T(ai.moolai.protocol.kafka.Topics).LIVENESS.name()}",
            groupId = "control-api-liveness")
    void liveness(List<ConsumerRecord<String, byte[]>> records) {
        batches.handle(STATE, Topics.LIVENESS, records, RecordReader.of(Topics.LIVENESS),
                batch -> transactions.executeWithoutResult(status -> storeLiveness(batch)));
    }

    @KafkaListener(id = TRANSITIONS, topics = "#{T(ai.moolai.protocol.kafka.Topics).LIVENESS_TRANSITIONS.name()}",
            groupId = "control-api-transitions")
    void transitions(List<ConsumerRecord<String, byte[]>> records) {
        batches.handle(TRANSITIONS, Topics.LIVENESS_TRANSITIONS, records, RecordReader.of(Topics.LIVENESS_TRANSITIONS),
                batch -> transactions.executeWithoutResult(status -> storeTransitions(batch)));
    }

    @KafkaListener(id = WINDOWS, topics = "#{T(ai.moolai.protocol.kafka.Topics).LIVENESS_WINDOWS.name()}",
            groupId = "control-api-windows")
    void windows(List<ConsumerRecord<String, byte[]>> records) {
        batches.handle(WINDOWS, Topics.LIVENESS_WINDOWS, records, RecordReader.of(Topics.LIVENESS_WINDOWS),
                this::storeWindows);
    }

    private void storeLiveness(List<Liveness> batch) {
        Map<String, Liveness> latest = new LinkedHashMap<>();
        batch.forEach(liveness -> latest.put(liveness.orchestratorId(), liveness));
        TextArrays rows = new TextArrays(11);
        latest.values().forEach(l -> rows.add(l.orchestratorId(), l.status(), l.reason() == null ? null : l.reason().wireName(),
                l.since(), l.lastSeen(), l.connected(), l.sessionId(), l.edgeId(), l.independenceRequestedVersion(),
                l.independenceAckedVersion(), l.updatedAt()));
        if (rows.isEmpty()) {
            return;
        }
        // Joined to itself, the table yields each row as it was before the update: only real changes
        // (status, reason, connection) go to the dashboard.
        List<String> changed = jdbc.query(connection -> rows.bind(connection, """
                UPDATE orchestrator_instances AS i SET status = v.status, status_reason = v.reason,
                       status_since = CAST(v.since AS timestamptz), last_seen = CAST(v.last_seen AS timestamptz),
                       connected = CAST(v.connected AS boolean), session_id = v.session_id, edge_id = v.edge_id,
                       independence_requested_version = CAST(v.requested AS bigint),
                       independence_acked_version = CAST(v.acked AS bigint),
                       liveness_updated_at = CAST(v.updated_at AS timestamptz)
                FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                     AS v(id, status, reason, since, last_seen, connected, session_id, edge_id, requested, acked, updated_at),
                     orchestrator_instances AS before
                WHERE i.orchestrator_id = v.id AND before.orchestrator_id = v.id
                  AND (i.liveness_updated_at IS NULL OR i.liveness_updated_at <= CAST(v.updated_at AS timestamptz))
                RETURNING i.orchestrator_id,
                          (before.status, before.status_reason, before.connected, before.independence_acked_version)
                          IS DISTINCT FROM (i.status, i.status_reason, i.connected, i.independence_acked_version) AS changed"""),
                (rs, n) -> rs.getBoolean("changed") ? rs.getString("orchestrator_id") : null);
        live.announceAll("liveness", changed.stream().filter(Objects::nonNull).map(latest::get).toList());
    }

    private void storeTransitions(List<LivenessTransition> batch) {
        TextArrays rows = new TextArrays(6);
        batch.forEach(t -> rows.add(t.orchestratorId(), t.from(), t.to(),
                t.reason().wireName(), t.at(), t.evidence() == null ? "{}" : Json.events().writeValueAsString(t.evidence())));
        if (rows.isEmpty()) {
            return;
        }
        int stored = jdbc.update(connection -> rows.bind(connection, """
                INSERT INTO liveness_transitions (orchestrator_id, from_status, to_status, reason, occurred_at, evidence)
                SELECT id, from_status, to_status, reason, CAST(at AS timestamptz), CAST(evidence AS jsonb)
                FROM unnest(?, ?, ?, ?, ?, ?) AS v(id, from_status, to_status, reason, at, evidence)
                ON CONFLICT DO NOTHING"""));
        if (stored > 0) {
            live.announce("transitions", new TransitionsStored(stored));
        }
    }

    /**
     * The {@code transitions} event: status changes new to the history, one event per batch.
     *
     * @param stored how many
     */
    record TransitionsStored(int stored) {
    }

    private void storeWindows(List<LivenessWindow> batch) {
        Map<String, LivenessWindow> latest = new LinkedHashMap<>();
        batch.forEach(w -> latest.put(w.orchestratorId() + "@" + w.windowStart(), w));
        TextArrays rows = new TextArrays(5);
        latest.values().forEach(w -> rows.add(w.orchestratorId(), w.windowStart(), w.windowEnd(), w.heartbeats(),
                w.secondsActive()));
        if (!rows.isEmpty()) {
            jdbc.update(connection -> rows.bind(connection, """
                    INSERT INTO liveness_windows (orchestrator_id, window_start, window_end, heartbeats, seconds_active)
                    SELECT id, CAST(s AS timestamptz), CAST(e AS timestamptz), CAST(h AS bigint), CAST(a AS integer)
                    FROM unnest(?, ?, ?, ?, ?) AS v(id, s, e, h, a)
                    ON CONFLICT (orchestrator_id, window_start) DO UPDATE
                    SET window_end = EXCLUDED.window_end, heartbeats = EXCLUDED.heartbeats,
                        seconds_active = EXCLUDED.seconds_active"""));
        }
    }
}
