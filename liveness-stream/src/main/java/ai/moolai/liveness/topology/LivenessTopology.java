package ai.moolai.liveness.topology;

import java.util.List;
import java.util.function.BooleanSupplier;

import ai.moolai.protocol.kafka.JsonSerde;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Liveness as a Kafka Streams topology: heartbeats, session events and desired state in; current
 * liveness (compacted), transitions and windows out, plus each input's dead-letter topic. One
 * processor keyed by orchestrator id holds each orchestrator's state in a store and, in memory, a
 * deadline index derived from it.
 */
public final class LivenessTopology {

    static final String STATE_STORE = "liveness-state";
    static final String PROCESSOR = "liveness";
    static final String LIVENESS_SINK = "liveness-out";
    static final String TRANSITIONS_SINK = "transitions-out";
    static final String WINDOWS_SINK = "windows-out";

    /** The inputs, in the order their sources are added. */
    static final List<Topic<?>> INPUTS = List.of(Topics.HEARTBEATS, Topics.SESSION_EVENTS, Topics.DESIRED_STATE);

    private LivenessTopology() {
    }

    /**
     * @param properties         the rules' parameters
     * @param heartbeatsCaughtUp whether heartbeat consumption is at the log end, so the wall clock may be trusted
     * @param listener           told of moves, transitions and punctuations
     */
    public static Topology build(LivenessProperties properties, BooleanSupplier heartbeatsCaughtUp,
                                 LivenessListener listener) {
        Topology topology = new Topology();
        for (Topic<?> input : INPUTS) {
            topology.addSource("from-" + input.name(), new StringDeserializer(), new ByteArrayDeserializer(), input.name());
        }
        topology.addProcessor(PROCESSOR, () -> new LivenessProcessor(properties, heartbeatsCaughtUp, listener),
                INPUTS.stream().map(input -> "from-" + input.name()).toArray(String[]::new));
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(), new JsonSerde<>(OrchestratorLiveness.class)).withCachingEnabled(), PROCESSOR);
        topology.addSink(LIVENESS_SINK, Topics.LIVENESS.name(), new StringSerializer(),
                Topics.LIVENESS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(TRANSITIONS_SINK, Topics.LIVENESS_TRANSITIONS.name(), new StringSerializer(),
                Topics.LIVENESS_TRANSITIONS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(WINDOWS_SINK, Topics.LIVENESS_WINDOWS.name(), new StringSerializer(),
                Topics.LIVENESS_WINDOWS.valueSerde().serializer(), PROCESSOR);
        for (Topic<?> input : INPUTS) {
            topology.addSink(deadLetterSink(input.name()), input.deadLetterName(), new StringSerializer(),
                    new ByteArraySerializer(), PROCESSOR);
        }
        return topology;
    }

    static String deadLetterSink(String topic) {
        return "dead-letters-of-" + topic;
    }
}
