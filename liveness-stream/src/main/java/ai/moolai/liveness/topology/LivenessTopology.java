package ai.moolai.liveness.topology;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import ai.moolai.protocol.kafka.JsonSerde;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.DeadLetter;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Liveness as a Kafka Streams topology: heartbeats, session events, desired state, the edges'
 * beacons and, after the broker lost data, the liveness control-api last knew, in; current liveness (compacted), transitions and windows out. One processor keyed by
 * orchestrator id holds each orchestrator's state in a store and, in memory, a deadline index
 * derived from it; a second store holds what its task last heard from each edge (every edge
 * beacons to every partition). Run it
 * with {@link #config}: a record that breaks its topic's contract goes to the topic's dead-letter
 * topic, an error of the topology's own fails it.
 */
public final class LivenessTopology {

    static final String STATE_STORE = "liveness-state";
    static final String EDGE_STORE = "edge-beacons";
    static final String PROCESSOR = "liveness";
    static final String LIVENESS_SINK = "liveness-out";
    static final String TRANSITIONS_SINK = "transitions-out";
    static final String WINDOWS_SINK = "windows-out";

    /** The inputs, in the order their sources are added. */
    static final List<Topic<?>> INPUTS = List.of(Topics.HEARTBEATS, Topics.SESSION_EVENTS, Topics.DESIRED_STATE,
            Topics.EDGE_BEACONS, Topics.LIVENESS_RESTORE);

    private LivenessTopology() {
    }

    /**
     * @param properties         the rules' parameters
     * @param heartbeatsCaughtUp whether heartbeat consumption is at the log end, so the wall clock may be trusted
     * @param listener           told of moves, transitions, punctuations and each record processed
     */
    public static Topology build(LivenessProperties properties, BooleanSupplier heartbeatsCaughtUp,
                                 LivenessListener listener) {
        Topology topology = new Topology();
        for (Topic<?> input : INPUTS) {
            topology.addSource("from-" + input.name(), input.keySerde().deserializer(), input.valueSerde().deserializer(),
                    input.name());
        }
        topology.addProcessor(PROCESSOR, () -> new LivenessProcessor(properties, heartbeatsCaughtUp, listener),
                INPUTS.stream().map(input -> "from-" + input.name()).toArray(String[]::new));
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(), new JsonSerde<>(OrchestratorLiveness.class)).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EDGE_STORE),
                Serdes.String(), new JsonSerde<>(EdgeView.class)), PROCESSOR);
        topology.addSink(LIVENESS_SINK, Topics.LIVENESS.name(), Topics.LIVENESS.keySerde().serializer(),
                Topics.LIVENESS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(TRANSITIONS_SINK, Topics.LIVENESS_TRANSITIONS.name(),
                Topics.LIVENESS_TRANSITIONS.keySerde().serializer(), Topics.LIVENESS_TRANSITIONS.valueSerde().serializer(),
                PROCESSOR);
        topology.addSink(WINDOWS_SINK, Topics.LIVENESS_WINDOWS.name(), Topics.LIVENESS_WINDOWS.keySerde().serializer(),
                Topics.LIVENESS_WINDOWS.valueSerde().serializer(), PROCESSOR);
        return topology;
    }

    /**
     * The Streams configuration the topology needs beside the client's own: its exception handlers,
     * and what they dead-letter through.
     *
     * @param deadLetters publishes one dead letter, returning once the broker has it
     */
    public static Map<String, Object> config(Consumer<DeadLetter> deadLetters) {
        return Map.of(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UnreadableRecords.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, UnreadableRecords.class,
                UnreadableRecords.DEAD_LETTERS, deadLetters);
    }
}
