package ai.moolai.liveness.topology;

import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import ai.moolai.protocol.Storable;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.UnreadableRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies heartbeats, session events and desired state to each orchestrator's liveness, and on
 * the wall clock expires the silent and closes liveness windows through the deadline index. Whom
 * it cannot hear because their edge cannot be heard (its beacons stopped, or say it cannot
 * publish) it holds as UNKNOWN instead of INACTIVE.
 * A record that breaks its topic's contract (no key, a tombstone where the topic has none, a
 * value without what the rules need) is refused with {@link UnreadableRecord} before it changes
 * anything, for {@link UnreadableRecords} to dead-letter; any other exception is a bug and fails.
 *
 * <p>Expiry trusts the wall clock only while heartbeat consumption has caught up; otherwise (after
 * a restart, or while lagging) "now" is the newest edge time seen on the inputs, so nobody is
 * declared INACTIVE whose heartbeats are still waiting in the backlog.
 */
final class LivenessProcessor implements Processor<String, Object, String, Object> {

    private static final String DEADLINE = "d";
    private static final String WINDOW_END = "w";

    private final LivenessProperties properties;
    private final BooleanSupplier heartbeatsCaughtUp;
    private final LivenessListener listener;
    private final long ttl;
    private final long windowMillis;
    private final long edgeLostAfterMillis;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, OrchestratorLiveness> store;
    private KeyValueStore<String, EdgeView> edges;
    private final DeadlineIndex index = new DeadlineIndex();
    private boolean indexBuilt;
    private long observedUntil = Long.MIN_VALUE;

    LivenessProcessor(LivenessProperties properties, BooleanSupplier heartbeatsCaughtUp, LivenessListener listener) {
        this.properties = properties;
        this.heartbeatsCaughtUp = heartbeatsCaughtUp;
        this.listener = listener;
        this.ttl = properties.heartbeatTtl().toMillis();
        this.windowMillis = properties.window().toMillis();
        this.edgeLostAfterMillis = properties.edgeLostAfter().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(LivenessTopology.STATE_STORE);
        this.edges = context.getStateStore(LivenessTopology.EDGE_STORE);
        forEachTracked(liveness -> listener.moved(null, liveness.status()));
        context.schedule(properties.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, Object> record) {
        listener.processing(record.timestamp());
        try {
            apply(record);
        } finally {
            listener.processed();
        }
    }

    private void apply(Record<String, Object> record) {
        if (record.key() == null) {
            throw new UnreadableRecord("no key (the orchestrator id)");
        }
        Object value = record.value();
        if (value instanceof Heartbeat heartbeat) {
            onHeartbeat(record, readable(heartbeat));
        } else if (value instanceof SessionEvent event) {
            onSessionEvent(record, readable(event));
        } else if (value instanceof DesiredState desired) {
            onDesiredState(record, desired);
        } else if (value instanceof EdgeBeacon beacon) {
            onBeacon(readable(beacon));
        } else if (value instanceof Liveness restored) {
            onRestored(record, readable(restored));
        } else if (value == null) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
            if (!Topics.DESIRED_STATE.name().equals(topic)) {
                throw new UnreadableRecord("a tombstone, which this topic does not have");
            }
            onDeleted(record);
        } else {
            throw new IllegalStateException("no rule for a " + value.getClass().getName());
        }
    }

    private void onHeartbeat(Record<String, Object> record, Heartbeat heartbeat) {
        observe(heartbeat.receivedAt());
        OrchestratorLiveness liveness = tracked(record.key(), heartbeat.receivedAt());
        long at = heartbeat.receivedAt().toEpochMilli();
        Long windowEnd = liveness.windowEnd(windowMillis);
        if (windowEnd != null && at >= windowEnd) {
            emitWindow(liveness.closeWindow(windowMillis), record.timestamp());
            armWindow(liveness);
        }
        OrchestratorLiveness.Effect effect = liveness.heartbeat(heartbeat);
        if (liveness.status() == LivenessStatus.ACTIVE) {
            if (liveness.openWindow(at, windowMillis)) {
                armWindow(liveness);
            }
            liveness.countHeartbeat();
        }
        settle(liveness, effect, record.timestamp());
    }

    private void onSessionEvent(Record<String, Object> record, SessionEvent event) {
        observe(event.at());
        OrchestratorLiveness liveness = tracked(record.key(), event.at());
        OrchestratorLiveness.Effect effect = switch (event.kind()) {
            case CONNECTED -> liveness.connected(event);
            case DISCONNECTED -> liveness.disconnected(event);
            case INDEPENDENCE_ACKED -> liveness.independenceAcknowledged(event);
        };
        settle(liveness, effect, record.timestamp());
    }

    /**
     * An edge is there: noted on this task's clock. Its time is not the orchestrators' time, so it
     * does not move the backlog's "now".
     */
    private void onBeacon(EdgeBeacon beacon) {
        edges.put(beacon.edgeId(), EdgeView.heard(edges.get(beacon.edgeId()), beacon, context.currentSystemTimeMs(),
                edgeLostAfterMillis));
    }

    /**
     * The liveness control-api last knew of an orchestrator whose desired state it republished (just
     * before this record), the broker's data having been lost: taken up when this task knows no
     * more of it than that registration, or nothing yet (the two topics are read in time order, but
     * a task that starts on a backlog may read this one first), so that one that died before the
     * disaster is still found silent; emitted as taken up. Anything this task heard itself wins, and
     * so does a registration that disagrees on independence.
     */
    private void onRestored(Record<String, Object> record, Liveness restored) {
        OrchestratorLiveness known = store.get(record.key());
        if (known != null && (!known.onlyRegistered()
                || (restored.status() == LivenessStatus.INDEPENDENT) != known.independent())) {
            return;
        }
        OrchestratorLiveness liveness = OrchestratorLiveness.restored(record.key(), restored, known,
                context.currentSystemTimeMs());
        listener.moved(known == null ? null : known.status(), liveness.status());
        settle(liveness, OrchestratorLiveness.Effect.CHANGED, record.timestamp());
    }

    /** The orchestrator was deleted (a desired-state tombstone): it leaves a liveness tombstone. */
    private void onDeleted(Record<String, Object> record) {
        String id = record.key();
        OrchestratorLiveness liveness = store.get(id);
        if (liveness != null) {
            store.delete(id);
            listener.moved(liveness.status(), null);
            context.forward(new Record<>(id, null, record.timestamp()), LivenessTopology.LIVENESS_SINK);
        }
    }

    private void onDesiredState(Record<String, Object> record, DesiredState desired) {
        String id = record.key();
        OrchestratorLiveness liveness = store.get(id);
        Instant at = desired.updatedAt() != null ? desired.updatedAt() : Instant.ofEpochMilli(record.timestamp());
        if (liveness == null) {
            liveness = OrchestratorLiveness.firstSeen(id, at);
            listener.moved(null, liveness.status());
            OrchestratorLiveness.Effect independence = liveness.desired(desired, at);
            settle(liveness, independence.transition() != null ? independence
                    : new OrchestratorLiveness.Effect(true, liveness.registration(), false), record.timestamp());
            return;
        }
        settle(liveness, liveness.desired(desired, at), record.timestamp());
    }

    /** Due deadlines and windows, as of the trusted "now". */
    void punctuate(long wallClock) {
        long started = System.nanoTime();
        if (!indexBuilt) {
            rebuildIndex();
        }
        long now = heartbeatsCaughtUp.getAsBoolean() ? wallClock : Math.min(wallClock, observedUntil);
        var deadlines = index.takeDue(DEADLINE, now);
        for (DeadlineIndex.Due due : deadlines) {
            OrchestratorLiveness liveness = store.get(due.orchestratorId());
            if (liveness == null || liveness.armedDeadline() == null || liveness.armedDeadline() != due.at()) {
                continue;
            }
            liveness.armedAt(null);
            EdgeView edge = liveness.edgeId() == null ? null : edges.get(liveness.edgeId());
            settle(liveness, liveness.expire(now, ttl, edge, edgeLostAfterMillis), wallClock);
        }
        var windows = index.takeDue(WINDOW_END, now);
        for (DeadlineIndex.Due due : windows) {
            OrchestratorLiveness liveness = store.get(due.orchestratorId());
            Long end = liveness == null ? null : liveness.windowEnd(windowMillis);
            if (end == null || end > due.at()) {
                continue;
            }
            emitWindow(liveness.closeWindow(windowMillis), wallClock);
            armWindow(liveness);
            store.put(liveness.orchestratorId(), liveness);
        }
        listener.punctuated(System.nanoTime() - started, deadlines.size(), windows.size());
    }

    /** Emits what changed, arms the next deadline and stores the state. */
    private void settle(OrchestratorLiveness liveness, OrchestratorLiveness.Effect effect, long timestamp) {
        String id = liveness.orchestratorId();
        if (effect.transition() != null) {
            var transition = effect.transition();
            if (transition.from() != null) {
                listener.moved(transition.from(), transition.to());
            }
            if (transition.to() == LivenessStatus.ACTIVE
                    && liveness.openWindow(transition.at().toEpochMilli(), windowMillis)) {
                armWindow(liveness);
            }
            listener.transitioned(transition.from(), transition.to());
            if (effect.flapped()) {
                listener.flapped();
            }
            context.forward(new Record<>(id, transition, timestamp), LivenessTopology.TRANSITIONS_SINK);
        }
        if (effect.changed()) {
            context.forward(new Record<>(id, liveness.toLiveness(Instant.ofEpochMilli(context.currentSystemTimeMs())),
                    timestamp), LivenessTopology.LIVENESS_SINK);
        }
        Long deadline = liveness.deadline(ttl);
        if (deadline != null && liveness.armedDeadline() == null) {
            index.schedule(DEADLINE, deadline, id);
            liveness.armedAt(deadline);
        }
        store.put(id, liveness);
    }

    /**
     * The index from the restored state: every armed deadline and open window. Done before the first
     * expiry check, once the task's stores hold what the changelog restored.
     */
    private void rebuildIndex() {
        forEachTracked(liveness -> {
            if (liveness.armedDeadline() != null) {
                index.schedule(DEADLINE, liveness.armedDeadline(), liveness.orchestratorId());
            }
            Long windowEnd = liveness.windowEnd(windowMillis);
            if (windowEnd != null) {
                index.schedule(WINDOW_END, windowEnd, liveness.orchestratorId());
            }
        });
        indexBuilt = true;
    }

    /**
     * The orchestrator's state, or a new PENDING one when a heartbeat or session event comes before
     * its desired state (another topic, read in its own order). The new state starts just before
     * the event, so the event is newer than it and takes effect.
     */
    private OrchestratorLiveness tracked(String id, Instant at) {
        OrchestratorLiveness liveness = store.get(id);
        if (liveness == null) {
            liveness = OrchestratorLiveness.firstSeen(id, at.minusMillis(1));
            listener.moved(null, liveness.status());
        }
        return liveness;
    }

    private void armWindow(OrchestratorLiveness liveness) {
        Long end = liveness.windowEnd(windowMillis);
        if (end != null) {
            index.schedule(WINDOW_END, end, liveness.orchestratorId());
        }
    }

    private void emitWindow(LivenessWindow window, long timestamp) {
        context.forward(new Record<>(window.orchestratorId(), window, timestamp), LivenessTopology.WINDOWS_SINK);
    }

    private void observe(Instant edgeTime) {
        if (edgeTime != null) {
            observedUntil = Math.max(observedUntil, edgeTime.toEpochMilli());
        }
    }

    private void forEachTracked(Consumer<OrchestratorLiveness> action) {
        try (KeyValueIterator<String, OrchestratorLiveness> all = store.all()) {
            all.forEachRemaining(entry -> action.accept(entry.value));
        }
    }

    @Override
    public void close() {
        forEachTracked(liveness -> listener.moved(liveness.status(), null));
    }

    /** The heartbeat, when it holds what the rules need: the edge's time, one that can be stored. */
    private static Heartbeat readable(Heartbeat heartbeat) {
        if (heartbeat.receivedAt() == null) {
            throw new UnreadableRecord("a heartbeat without receivedAt");
        }
        storable("receivedAt", heartbeat.receivedAt());
        return heartbeat;
    }

    /** The restored liveness, when it holds what the rules need: a status, since when, and when last seen if it can expire. */
    private static Liveness readable(Liveness restored) {
        if (restored.status() == null || restored.reason() == null || restored.since() == null) {
            throw new UnreadableRecord("a restored liveness without status, reason or since");
        }
        if ((restored.status() == LivenessStatus.ACTIVE || restored.status() == LivenessStatus.UNKNOWN)
                && restored.lastSeen() == null) {
            throw new UnreadableRecord("a restored " + restored.status() + " liveness without lastSeen");
        }
        storable("since", restored.since());
        if (restored.lastSeen() != null) {
            storable("lastSeen", restored.lastSeen());
        }
        return restored;
    }

    /** The beacon, when it says which edge it is. */
    private static EdgeBeacon readable(EdgeBeacon beacon) {
        if (beacon.edgeId() == null) {
            throw new UnreadableRecord("a beacon without edgeId");
        }
        return beacon;
    }

    /** The session event, when it holds what the rules need: what happened, and when. */
    private static SessionEvent readable(SessionEvent event) {
        if (event.kind() == null || event.at() == null) {
            throw new UnreadableRecord("a session event without kind or at");
        }
        storable("at", event.at());
        return event;
    }

    /** A time beyond what the transitions' and windows' columns hold (or what milliseconds count) is no time at all. */
    private static void storable(String field, Instant at) {
        Storable.problem(field, at).ifPresent(problem -> {
            throw new UnreadableRecord(problem);
        });
    }
}
