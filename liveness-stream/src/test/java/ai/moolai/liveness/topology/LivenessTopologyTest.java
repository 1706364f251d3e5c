package ai.moolai.liveness.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessTransition;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every liveness rule, on TopologyTestDriver: no broker, no Spring, the wall clock advanced by hand. */
class LivenessTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration TTL = Duration.ofSeconds(30);
    static final LivenessProperties PROPERTIES = new LivenessProperties(TTL, Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMillis(250), 2000);

    @TempDir
    Path stateDir;

    final AtomicBoolean caughtUp = new AtomicBoolean(true);
    final Map<LivenessStatus, Integer> counts = new EnumMap<>(LivenessStatus.class);
    TopologyTestDriver driver;
    Instant wallClock;
    TestInputTopic<String, Heartbeat> heartbeats;
    TestInputTopic<String, SessionEvent> sessions;
    TestInputTopic<String, DesiredState> desired;
    TestOutputTopic<String, Liveness> liveness;
    TestOutputTopic<String, LivenessTransition> transitions;
    TestOutputTopic<String, LivenessWindow> windows;

    @BeforeEach
    void start() {
        startDriver();
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    void startDriver() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "liveness-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        LivenessListener listener = new LivenessListener() {
            @Override
            public void moved(LivenessStatus from, LivenessStatus to) {
                if (from != null) {
                    counts.merge(from, -1, Integer::sum);
                }
                if (to != null) {
                    counts.merge(to, 1, Integer::sum);
                }
            }
        };
        wallClock = T0;
        driver = new TopologyTestDriver(LivenessTopology.build(PROPERTIES, caughtUp::get, listener), config, T0);
        heartbeats = input(Topics.HEARTBEATS);
        sessions = input(Topics.SESSION_EVENTS);
        desired = input(Topics.DESIRED_STATE);
        liveness = output(Topics.LIVENESS);
        transitions = output(Topics.LIVENESS_TRANSITIONS);
        windows = output(Topics.LIVENESS_WINDOWS);
    }

    <V> TestInputTopic<String, V> input(Topic<V> topic) {
        return driver.createInputTopic(topic.name(), new StringSerializer(), topic.valueSerde().serializer());
    }

    <V> TestOutputTopic<String, V> output(Topic<V> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(), topic.valueSerde().deserializer());
    }

    /** Moves the wall clock forward in punctuation-sized steps, as a running application would. */
    void advanceTo(Instant time) {
        while (wallClock.isBefore(time)) {
            Duration step = Duration.ofMillis(Math.min(100, Duration.between(wallClock, time).toMillis()));
            driver.advanceWallClockTime(step);
            wallClock = wallClock.plus(step);
        }
    }

    void register(String id, boolean independent, long version, Instant at) {
        desired.pipeInput(id, new DesiredState(id, "acme", "Acme", "eu-1", null, independent, false, version, null, at), at);
    }

    void beat(String id, Instant at) {
        heartbeats.pipeInput(id, new Heartbeat(id, "s-1", "edge-1", null, at, at), at);
    }

    void connect(String id, String session, Instant at) {
        sessions.pipeInput(id, SessionEvent.connected(id, session, "edge-1", at, null), at);
    }

    void disconnect(String id, String session, SessionEvent.ClosedBy by, int code, Instant at) {
        sessions.pipeInput(id, SessionEvent.disconnected(id, session, "edge-1", at, code, by, "bye"), at);
    }

    List<LivenessTransition> transitionsOf(String id) {
        return transitions.readRecordsToList().stream().map(TestRecord::value)
                .filter(t -> t.orchestratorId().equals(id)).toList();
    }

    Liveness latest(String id) {
        Liveness latest = null;
        for (TestRecord<String, Liveness> record : liveness.readRecordsToList()) {
            if (record.key().equals(id)) {
                latest = record.value();
            }
        }
        return latest;
    }

    @Test
    void registersAnOrchestratorAsPending() {
        register("o1", false, 1, T0);

        assertThat(transitionsOf("o1")).singleElement().satisfies(t -> {
            assertThat(t.from()).isNull();
            assertThat(t.to()).isEqualTo(LivenessStatus.PENDING);
            assertThat(t.reason()).isEqualTo(LivenessReason.REGISTERED);
        });
        assertThat(latest("o1").status()).isEqualTo(LivenessStatus.PENDING);
        assertThat(counts).containsEntry(LivenessStatus.PENDING, 1);
    }

    @Test
    void aConnectionOrAHeartbeatMakesItActive() {
        register("o1", false, 1, T0);
        register("o2", false, 1, T0);
        transitions.readRecordsToList();

        connect("o1", "s-1", T0.plusSeconds(1));
        beat("o2", T0.plusSeconds(1));

        assertThat(latest("o1")).satisfies(l -> {
            assertThat(l.status()).isEqualTo(LivenessStatus.ACTIVE);
            assertThat(l.reason()).isEqualTo(LivenessReason.CONNECTED);
            assertThat(l.connected()).isTrue();
            assertThat(l.sessionId()).isEqualTo("s-1");
        });
        List<LivenessTransition> all = transitions.readRecordsToList().stream().map(TestRecord::value).toList();
        assertThat(all).extracting(LivenessTransition::orchestratorId, LivenessTransition::to, LivenessTransition::reason)
                .containsExactly(
                        tuple("o1", LivenessStatus.ACTIVE, LivenessReason.CONNECTED),
                        tuple("o2", LivenessStatus.ACTIVE, LivenessReason.HEARTBEAT));
        assertThat(counts).containsEntry(LivenessStatus.ACTIVE, 2).containsEntry(LivenessStatus.PENDING, 0);
    }

    @Test
    void marksInactiveAfterTtlWithinASecond() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0);
        Instant last = T0.plusSeconds(20);
        for (Instant t = T0.plusSeconds(10); !t.isAfter(last); t = t.plusSeconds(10)) {
            advanceTo(t);
            beat("o1", t);
        }
        transitions.readRecordsToList();

        advanceTo(last.plus(TTL).minusMillis(100));
        assertThat(transitions.isEmpty()).as("still within the TTL").isTrue();

        advanceTo(last.plus(TTL).plusSeconds(1));
        assertThat(transitionsOf("o1")).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(LivenessStatus.ACTIVE);
            assertThat(t.to()).isEqualTo(LivenessStatus.INACTIVE);
            assertThat(t.reason()).isEqualTo(LivenessReason.HEARTBEAT_TIMEOUT);
            assertThat(t.at()).isEqualTo(last.plus(TTL));
            assertThat(t.evidence().lastSeen()).isEqualTo(last);
        });
    }

    @Test
    void anOrchestratorsCleanCloseIsInactiveAtOnce() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0);
        transitions.readRecordsToList();

        disconnect("o1", "s-1", SessionEvent.ClosedBy.ORCHESTRATOR, 1000, T0.plusSeconds(5));

        assertThat(transitionsOf("o1")).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(LivenessStatus.INACTIVE);
            assertThat(t.reason()).isEqualTo(LivenessReason.DISCONNECTED);
            assertThat(t.evidence().closeCode()).isEqualTo(1000);
        });
        assertThat(latest("o1").connected()).isFalse();
    }

    @Test
    void anEdgeCloseOrADroppedConnectionLeavesItToTheTtl() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0);
        transitions.readRecordsToList();

        disconnect("o1", "s-1", SessionEvent.ClosedBy.EDGE, 1001, T0.plusSeconds(5));
        assertThat(latest("o1")).satisfies(l -> {
            assertThat(l.status()).isEqualTo(LivenessStatus.ACTIVE);
            assertThat(l.connected()).isFalse();
        });
        connect("o1", "s-2", T0.plusSeconds(6));
        disconnect("o1", "s-2", SessionEvent.ClosedBy.NETWORK, 1006, T0.plusSeconds(7));
        assertThat(transitions.isEmpty()).as("a reconnect to another edge does not flap").isTrue();

        advanceTo(T0.plusSeconds(7).plus(TTL).plusSeconds(1));
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::reason).containsExactly(LivenessReason.HEARTBEAT_TIMEOUT);
    }

    @Test
    void theGoodbyeOfAReplacedSessionChangesNothing() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0);
        connect("o1", "s-2", T0.plusSeconds(1));
        liveness.readRecordsToList();
        transitions.readRecordsToList();

        disconnect("o1", "s-1", SessionEvent.ClosedBy.ORCHESTRATOR, 4409, T0.plusSeconds(2));

        assertThat(transitions.isEmpty()).isTrue();
        assertThat(liveness.isEmpty()).isTrue();
    }

    @Test
    void independenceIsRequestedThenConfirmedAndHeartbeatsNeverMoveIt() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0);
        transitions.readRecordsToList();

        register("o1", true, 2, T0.plusSeconds(1));
        sessions.pipeInput("o1", SessionEvent.independenceAcked("o1", "s-1", "edge-1", T0.plusSeconds(2), true, 2),
                T0.plusSeconds(2));
        disconnect("o1", "s-1", SessionEvent.ClosedBy.ORCHESTRATOR, 1000, T0.plusSeconds(2));
        beat("o1", T0.plusSeconds(3));
        advanceTo(T0.plus(TTL).plusSeconds(30));

        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::reason).containsExactly(
                tuple(LivenessStatus.INDEPENDENT, LivenessReason.INDEPENDENCE_REQUESTED),
                tuple(LivenessStatus.INDEPENDENT, LivenessReason.INDEPENDENCE_CONFIRMED));
        assertThat(latest("o1")).satisfies(l -> {
            assertThat(l.status()).isEqualTo(LivenessStatus.INDEPENDENT);
            assertThat(l.independenceRequestedVersion()).isEqualTo(2);
            assertThat(l.independenceAckedVersion()).isEqualTo(2);
            assertThat(l.connected()).isFalse();
        });
    }

    @Test
    void revokedIndependenceIsInactiveUntilItReconnects() {
        register("o1", true, 1, T0);
        transitions.readRecordsToList();

        register("o1", false, 2, T0.plusSeconds(10));
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::reason)
                .containsExactly(tuple(LivenessStatus.INACTIVE, LivenessReason.INDEPENDENCE_REVOKED));

        connect("o1", "s-9", T0.plusSeconds(20));
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to).containsExactly(LivenessStatus.ACTIVE);
    }

    @Test
    void aDeletedOrchestratorLeavesATombstone() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0);
        liveness.readRecordsToList();

        desired.pipeInput("o1", null, T0.plusSeconds(5));

        TestRecord<String, Liveness> tombstone = liveness.readRecord();
        assertThat(tombstone.key()).isEqualTo("o1");
        assertThat(tombstone.value()).isNull();
        advanceTo(T0.plus(TTL).plusSeconds(5));
        assertThat(transitions.readRecordsToList()).extracting(r -> r.value().to()).doesNotContain(LivenessStatus.INACTIVE);
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }

    @Test
    void emitsOnlyChangesAndCheckpointsLastSeen() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0);
        liveness.readRecordsToList();

        for (int second = 5; second <= 60; second += 5) {
            advanceTo(T0.plusSeconds(second));
            beat("o1", T0.plusSeconds(second));
        }

        List<Liveness> emitted = liveness.readValuesToList();
        assertThat(emitted).extracting(Liveness::lastSeen)
                .containsExactly(T0.plusSeconds(30), T0.plusSeconds(60));
        assertThat(transitions.readRecordsToList()).hasSize(2);
    }

    @Test
    void closesWindowsWithHeartbeatsSeenAndSecondsActive() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0.plusSeconds(30));
        for (int second = 30; second <= 80; second += 10) {
            advanceTo(T0.plusSeconds(second));
            beat("o1", T0.plusSeconds(second));
        }
        disconnect("o1", "s-1", SessionEvent.ClosedBy.ORCHESTRATOR, 1000, T0.plusSeconds(90));
        advanceTo(T0.plusSeconds(125));

        assertThat(windows.readValuesToList()).containsExactly(
                new LivenessWindow("o1", T0, T0.plusSeconds(60), 3, 30),
                new LivenessWindow("o1", T0.plusSeconds(60), T0.plusSeconds(120), 3, 30));
    }

    @Test
    void afterARestartNobodyExpiresWhoseHeartbeatsWaitInTheBacklog() {
        register("fresh", false, 1, T0);
        register("gone", false, 1, T0);
        connect("fresh", "s-1", T0);
        connect("gone", "s-2", T0);
        beat("fresh", T0.plusSeconds(10));
        beat("gone", T0.plusSeconds(10));
        Map<String, Object> state = copy(LivenessTopology.STATE_STORE);
        driver.close();

        // The application was down for 50 s. Its state comes back as changelog restoration brings it
        // back, and the heartbeats sent meanwhile wait in the topic.
        caughtUp.set(false);
        counts.clear();
        startDriver();
        state.forEach(driver.getKeyValueStore(LivenessTopology.STATE_STORE)::put);
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        wallClock = T0.plusSeconds(60);
        transitions.readRecordsToList();
        advanceTo(T0.plusSeconds(62));
        assertThat(transitions.isEmpty()).as("no INACTIVE storm while the backlog is unread").isTrue();

        for (int second = 20; second <= 60; second += 10) {
            beat("fresh", T0.plusSeconds(second));
        }
        caughtUp.set(true);
        advanceTo(T0.plusSeconds(63));

        assertThat(transitions.readValuesToList())
                .extracting(LivenessTransition::orchestratorId, LivenessTransition::to, LivenessTransition::at)
                .containsExactly(tuple("gone", LivenessStatus.INACTIVE, T0.plusSeconds(40)));
    }

    Map<String, Object> copy(String storeName) {
        Map<String, Object> copy = new HashMap<>();
        try (var all = driver.getKeyValueStore(storeName).all()) {
            all.forEachRemaining(entry -> copy.put((String) entry.key, entry.value));
        }
        return copy;
    }

    @Test
    void whileHeartbeatsLagExpiryFollowsTheBacklogsOwnTime() {
        register("steady", false, 1, T0);
        register("silent", false, 1, T0);
        connect("steady", "s-1", T0);
        connect("silent", "s-2", T0);
        transitions.readRecordsToList();
        caughtUp.set(false);

        advanceTo(T0.plusSeconds(120));
        assertThat(transitions.isEmpty()).as("the wall clock alone expires nobody while lagging").isTrue();

        for (int second = 10; second <= 50; second += 10) {
            beat("steady", T0.plusSeconds(second));
            advanceTo(wallClock.plusMillis(300));
        }

        assertThat(transitions.readValuesToList())
                .extracting(LivenessTransition::orchestratorId, LivenessTransition::at)
                .containsExactly(tuple("silent", T0.plus(TTL)));
    }

    @Test
    void deadLettersWhatItCannotProcessAndCarriesOn() {
        var raw = driver.createInputTopic(Topics.HEARTBEATS.name(), new StringSerializer(), new ByteArraySerializer());
        var deadLetters = driver.createOutputTopic(Topics.HEARTBEATS.deadLetterName(), new StringDeserializer(),
                new ByteArrayDeserializer());
        register("o1", false, 1, T0);
        transitions.readRecordsToList();

        raw.pipeInput("o1", "{not json".getBytes(StandardCharsets.UTF_8), T0);
        raw.pipeInput("o1", "{\"orchestratorId\":\"o1\"}".getBytes(StandardCharsets.UTF_8), T0);
        beat("o1", T0.plusSeconds(1));

        List<TestRecord<String, byte[]>> dead = new ArrayList<>(deadLetters.readRecordsToList());
        assertThat(dead).hasSize(2);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.EXCEPTION_CLASS).value(), StandardCharsets.UTF_8))
                .contains("SerializationException");
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.ORIGINAL_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.HEARTBEATS.name());
        assertThat(new String(dead.get(1).headers().lastHeader(DeadLetters.EXCEPTION_MESSAGE).value(), StandardCharsets.UTF_8))
                .isNotBlank();
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to).containsExactly(LivenessStatus.ACTIVE);
    }

}
