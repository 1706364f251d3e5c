package ai.moolai.liveness.topology;

import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies heartbeats, session events and desired state to each orchestrator's liveness, and on
 * the wall clock expires the silent and closes liveness windows through the deadline index.
 * Records arrive as bytes and are decoded here, so one that cannot be read or processed goes to
 * its topic's dead-letter topic, with the error in its headers, and the next one is processed.
 *
 * <p>Expiry trusts the wall clock only while heartbeat consumption has caught up; otherwise (after
 * a restart, or while lagging) "now" is the newest edge time seen on the inputs, so nobody is
 * declared INACTIVE whose heartbeats are still waiting in the backlog.
 */
final class LivenessProcessor implements Processor<String, byte[], String, Object> {

    private static final String DEADLINE = "d";
    private static final String WINDOW_END = "w";

    private final LivenessProperties properties;
    private final BooleanSupplier heartbeatsCaughtUp;
    private final LivenessListener listener;
    private final long ttl;
    private final long windowMillis;
    private final long checkpointMillis;
    private final Deserializer<Heartbeat> heartbeats = Topics.HEARTBEATS.valueSerde().deserializer();
    private final Deserializer<SessionEvent> sessionEvents = Topics.SESSION_EVENTS.valueSerde().deserializer();
    private final Deserializer<DesiredState> desiredStates = Topics.DESIRED_STATE.valueSerde().deserializer();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, OrchestratorLiveness> store;
    private final DeadlineIndex index = new DeadlineIndex();
    private boolean indexBuilt;
    private long observedUntil = Long.MIN_VALUE;

    LivenessProcessor(LivenessProperties properties, BooleanSupplier heartbeatsCaughtUp, LivenessListener listener) {
        this.properties = properties;
        this.heartbeatsCaughtUp = heartbeatsCaughtUp;
        this.listener = listener;
        this.ttl = properties.heartbeatTtl().toMillis();
        this.windowMillis = properties.window().toMillis();
        this.checkpointMillis = properties.lastSeenCheckpoint().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(LivenessTopology.STATE_STORE);
        forEachTracked(liveness -> listener.moved(null, liveness.status()));
        context.schedule(properties.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        try {
            if (record.key() == null) {
                throw new IllegalArgumentException("a record without a key (the orchestrator id)");
            }
            if (topic.equals(Topics.HEARTBEATS.name())) {
                onHeartbeat(record, required(heartbeats.deserialize(topic, record.value())));
            } else if (topic.equals(Topics.SESSION_EVENTS.name())) {
                onSessionEvent(record, required(sessionEvents.deserialize(topic, record.value())));
            } else if (topic.equals(Topics.DESIRED_STATE.name())) {
                onDesiredState(record, record.value() == null ? null : desiredStates.deserialize(topic, record.value()));
            }
        } catch (RuntimeException unprocessable) {
            deadLetter(record, topic, unprocessable);
        }
    }

    private void onHeartbeat(Record<String, byte[]> record, Heartbeat heartbeat) {
        observe(heartbeat.receivedAt());
        OrchestratorLiveness liveness = tracked(record.key(), heartbeat.receivedAt());
        long at = heartbeat.receivedAt().toEpochMilli();
        Long windowEnd = liveness.windowEnd(windowMillis);
        if (windowEnd != null && at >= windowEnd) {
            emitWindow(liveness.closeWindow(windowMillis), record.timestamp());
            armWindow(liveness);
        }
        OrchestratorLiveness.Effect effect = liveness.heartbeat(heartbeat, checkpointMillis);
        if (liveness.status() == LivenessStatus.ACTIVE) {
            if (liveness.openWindow(at, windowMillis)) {
                armWindow(liveness);
            }
            liveness.countHeartbeat();
        }
        settle(liveness, effect, record.timestamp());
    }

    private void onSessionEvent(Record<String, byte[]> record, SessionEvent event) {
        observe(event.at());
        OrchestratorLiveness liveness = tracked(record.key(), event.at());
        OrchestratorLiveness.Effect effect = switch (event.kind()) {
            case CONNECTED -> liveness.connected(event);
            case DISCONNECTED -> liveness.disconnected(event);
            case INDEPENDENCE_ACKED -> liveness.independenceAcknowledged(event);
        };
        settle(liveness, effect, record.timestamp());
    }

    private void onDesiredState(Record<String, byte[]> record, DesiredState desired) {
        String id = record.key();
        OrchestratorLiveness liveness = store.get(id);
        if (desired == null) {
            if (liveness != null) {
                store.delete(id);
                listener.moved(liveness.status(), null);
                context.forward(new Record<>(id, null, record.timestamp()), LivenessTopology.LIVENESS_SINK);
            }
            return;
        }
        Instant at = desired.updatedAt() != null ? desired.updatedAt() : Instant.ofEpochMilli(record.timestamp());
        if (liveness == null) {
            liveness = OrchestratorLiveness.firstSeen(id, at);
            listener.moved(null, liveness.status());
            OrchestratorLiveness.Effect independence = liveness.desired(desired, at);
            settle(liveness, independence.transition() != null ? independence
                    : new OrchestratorLiveness.Effect(true, liveness.registration()), record.timestamp());
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
            settle(liveness, liveness.expire(now, ttl), wallClock);
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

    private void deadLetter(Record<String, byte[]> record, String topic, RuntimeException error) {
        var metadata = context.recordMetadata();
        DeadLetters.describe(record.headers(), error, topic, metadata.map(RecordMetadata::partition).orElse(-1),
                metadata.map(RecordMetadata::offset).orElse(-1L));
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), record.headers()),
                LivenessTopology.deadLetterSink(topic));
        listener.deadLettered(topic);
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

    private static <V> V required(V value) {
        if (value == null) {
            throw new IllegalArgumentException("a record without a value");
        }
        return value;
    }
}
