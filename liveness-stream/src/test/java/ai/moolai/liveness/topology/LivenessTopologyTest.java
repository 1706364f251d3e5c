package ai.moolai.liveness.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.LivenessTransition;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.DeadLetter;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every liveness rule, on TopologyTestDriver: no broker, no Spring, the wall clock advanced by hand. */
class LivenessTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration TTL = Duration.ofSeconds(30);
    static final Duration EDGE_LOST_AFTER = Duration.ofSeconds(5);
    static final LivenessProperties PROPERTIES = new LivenessProperties(TTL, Duration.ofMinutes(1),
            Duration.ofMillis(250), 2000, EDGE_LOST_AFTER);

    @TempDir
    Path stateDir;

    final AtomicBoolean caughtUp = new AtomicBoolean(true);
    final Map<LivenessStatus, Integer> counts = new EnumMap<>(LivenessStatus.class);
    /** What the topology's handlers dead-lettered, in order: where production publishes them. */
    final List<DeadLetter> deadLetters = new ArrayList<>();
    TopologyTestDriver driver;
    Instant wallClock;
    TestInputTopic<String, Heartbeat> heartbeats;
    TestInputTopic<String, SessionEvent> sessions;
    TestInputTopic<String, DesiredState> desired;
    TestInputTopic<String, EdgeBeacon> beacons;
    TestInputTopic<String, Liveness> restores;
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
        startDriver(LivenessListener.NONE);
    }

    /** Starts the topology with {@code also} told of everything after the status counts. */
    void startDriver(LivenessListener also) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "liveness-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.putAll(LivenessTopology.config(deadLetters::add));
        LivenessListener counting = new LivenessListener() {
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
        driver = new TopologyTestDriver(LivenessTopology.build(PROPERTIES, caughtUp::get, counting.andThen(also)), config, T0);
        heartbeats = input(Topics.HEARTBEATS);
        sessions = input(Topics.SESSION_EVENTS);
        desired = input(Topics.DESIRED_STATE);
        beacons = input(Topics.EDGE_BEACONS);
        restores = input(Topics.LIVENESS_RESTORE);
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

    /** Advances the wall clock to {@code time}, each of {@code edges} beaconing every second on the way. */
    void advanceBeaconing(Instant time, boolean publishing, String... edges) {
        while (wallClock.isBefore(time)) {
            for (String edge : edges) {
                beacons.pipeInput(edge, new EdgeBeacon(edge, wallClock, 1, publishing, false), wallClock);
            }
            Instant next = wallClock.plusSeconds(1);
            advanceTo(next.isBefore(time) ? next : time);
        }
    }

    void advanceBeaconing(Instant time, String... edges) {
        advanceBeaconing(time, true, edges);
    }

    void register(String id, boolean independent, long version, Instant at) {
        desired.pipeInput(id, new DesiredState(id, "acme", "Acme", "eu-1", null, independent, false, version, null, false, at), at);
    }

    void beat(String id, Instant at) {
        beat(id, "edge-1", at);
    }

    void beat(String id, String edge, Instant at) {
        heartbeats.pipeInput(id, new Heartbeat(id, "s-1", edge, null, at, at), at);
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
    void anOrchestratorActiveAgainWithinTenMinutesOfGoingInactiveHasFlappedButNotOneBackLaterOrTakenBackByAnAdmin() {
        driver.close();
        List<String> flaps = new ArrayList<>();
        startDriver(new LivenessListener() {
            @Override
            public void flapped() {
                flaps.add("flap");
            }
        });
        register("o1", false, 1, T0);
        register("o2", false, 1, T0);
        connect("o1", "s-1", T0);
        connect("o2", "s-1", T0);
        assertThat(flaps).as("the first time ACTIVE is no flap").isEmpty();

        disconnect("o1", "s-1", SessionEvent.ClosedBy.ORCHESTRATOR, 1000, T0.plusSeconds(5));
        disconnect("o2", "s-1", SessionEvent.ClosedBy.ORCHESTRATOR, 1000, T0.plusSeconds(5));
        connect("o1", "s-2", T0.plusSeconds(65));
        assertThat(flaps).hasSize(1);

        connect("o2", "s-2", T0.plusSeconds(5).plusMillis(OrchestratorLiveness.FLAP_WITHIN_MILLIS + 1));
        assertThat(flaps).as("back after more than ten minutes").hasSize(1);

        // Set free, taken back (INACTIVE, by an admin), connected again at once: not its own doing.
        register("o3", true, 1, T0);
        register("o3", false, 2, T0.plusSeconds(10));
        connect("o3", "s-1", T0.plusSeconds(11));
        assertThat(latest("o3").status()).isEqualTo(LivenessStatus.ACTIVE);
        assertThat(flaps).as("an admin's decision is no flap").hasSize(1);
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
    void emitsOnlyChangesAndTheirLastSeen() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0);
        liveness.readRecordsToList();

        for (int second = 5; second <= 60; second += 5) {
            advanceTo(T0.plusSeconds(second));
            beat("o1", T0.plusSeconds(second));
        }
        assertThat(liveness.readValuesToList()).as("heartbeats of an ACTIVE orchestrator change nothing").isEmpty();

        disconnect("o1", "s-1", SessionEvent.ClosedBy.ORCHESTRATOR, 1000, T0.plusSeconds(62));
        assertThat(liveness.readValuesToList()).extracting(Liveness::status, Liveness::lastSeen)
                .containsExactly(tuple(LivenessStatus.INACTIVE, T0.plusSeconds(60)));
        assertThat(transitions.readRecordsToList()).hasSize(3);
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

    /** o1 on edge-1, heartbeating every 10 s until T0+20 while the edge beacons; the edge then falls silent too. */
    void heardUntilTheEdgeFallsSilent(String... orchestrators) {
        for (String id : orchestrators) {
            register(id, false, 1, T0);
            connect(id, "s-1", T0);
        }
        for (Instant t = T0.plusSeconds(10); !t.isAfter(T0.plusSeconds(20)); t = t.plusSeconds(10)) {
            advanceBeaconing(t, "edge-1");
            for (String id : orchestrators) {
                beat(id, t);
            }
        }
        transitions.readRecordsToList();
    }

    @Test
    void anOrchestratorWhoseEdgeFellSilentIsUnknownThenInactiveATtlAfterTheEdgeIsBack() {
        heardUntilTheEdgeFallsSilent("o1");

        advanceTo(T0.plusSeconds(20).plus(TTL).plusSeconds(1));
        assertThat(transitionsOf("o1")).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(LivenessStatus.ACTIVE);
            assertThat(t.to()).isEqualTo(LivenessStatus.UNKNOWN);
            assertThat(t.reason()).isEqualTo(LivenessReason.EDGE_LOST);
            assertThat(t.at()).isEqualTo(T0.plusSeconds(50));
        });
        assertThat(counts.get(LivenessStatus.UNKNOWN)).isEqualTo(1);

        advanceTo(T0.plusSeconds(200));
        assertThat(transitions.isEmpty()).as("not INACTIVE while the edge cannot be heard").isTrue();

        Instant back = wallClock;
        advanceBeaconing(back.plus(TTL).minusSeconds(1), "edge-1");
        assertThat(transitions.isEmpty()).as("the edge is back: its orchestrators get a TTL to speak").isTrue();
        advanceBeaconing(back.plus(TTL).plusSeconds(1), "edge-1");
        assertThat(transitionsOf("o1")).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(LivenessStatus.UNKNOWN);
            assertThat(t.to()).isEqualTo(LivenessStatus.INACTIVE);
            assertThat(t.reason()).isEqualTo(LivenessReason.HEARTBEAT_TIMEOUT);
            assertThat(t.at()).isEqualTo(back.plus(TTL));
        });
    }

    @Test
    void anEdgeBackBeforeTheTtlRanOutGivesItsOrchestratorsATtlFromItsReturn() {
        heardUntilTheEdgeFallsSilent("o1");
        advanceTo(T0.plusSeconds(30));
        Instant back = wallClock;

        advanceBeaconing(T0.plusSeconds(51), "edge-1");
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::reason, LivenessTransition::at)
                .as("silent for the TTL, but its edge was not heard all that time")
                .containsExactly(tuple(LivenessStatus.UNKNOWN, LivenessReason.EDGE_LOST, T0.plusSeconds(50)));

        advanceBeaconing(back.plus(TTL).plusSeconds(1), "edge-1");
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::at)
                .containsExactly(tuple(LivenessStatus.INACTIVE, back.plus(TTL)));
    }

    @Test
    void onlyTheSilenceItsEdgeCouldHearCountsTowardsTheTtl() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0);
        advanceBeaconing(T0.plusSeconds(10), "edge-1");
        beat("o1", T0.plusSeconds(10));
        advanceBeaconing(T0.plusSeconds(20), "edge-1");
        transitions.readRecordsToList();
        // The edge is not heard from T0+19 (its last beacon) to T0+40: ten seconds of o1's silence were heard.
        advanceTo(T0.plusSeconds(40));
        Instant back = wallClock;

        advanceBeaconing(back.plusSeconds(19), "edge-1");
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to).containsExactly(LivenessStatus.UNKNOWN);
        advanceBeaconing(back.plusSeconds(22), "edge-1");
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::at)
                .containsExactly(tuple(LivenessStatus.INACTIVE, back.plus(TTL).minusSeconds(9)));
    }

    @Test
    void beaconsReadLateAfterThisTasksOwnPauseAreNoGapOfTheEdges() {
        heardUntilTheEdgeFallsSilent("o1");
        // The task paused (a restart) while the edge went on beaconing; it reads those beacons at once.
        advanceTo(T0.plusSeconds(35));
        for (Instant at = T0.plusSeconds(21); !at.isAfter(T0.plusSeconds(35)); at = at.plusSeconds(1)) {
            beacons.pipeInput("edge-1", new EdgeBeacon("edge-1", at, 1, true, false), at);
        }

        advanceBeaconing(T0.plusSeconds(51), "edge-1");

        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::at)
                .as("its edge was there all along: the silence is its own")
                .containsExactly(tuple(LivenessStatus.INACTIVE, T0.plusSeconds(50)));
    }

    @Test
    void nobodyIsInactiveBeforeABeaconSentAfterTheirDeadlineIsRead() {
        heardUntilTheEdgeFallsSilent("o1");
        Instant deadline = T0.plusSeconds(20).plus(TTL);
        advanceBeaconing(deadline, "edge-1");
        // The next beacons are late (their partition is slow to come back), for less than the lost-after limit.
        advanceTo(deadline.plusSeconds(3));
        assertThat(transitions.isEmpty()).as("o1's last heartbeats may still be on their way").isTrue();

        beacons.pipeInput("edge-1", new EdgeBeacon("edge-1", deadline.plusMillis(500), 1, true, false), wallClock);
        advanceTo(wallClock.plusMillis(300));

        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::at)
                .containsExactly(tuple(LivenessStatus.INACTIVE, deadline));
    }

    @Test
    void aHeartbeatReadAfterABeaconThatDidNotVouchForTheDeadlineKeepsItActive() {
        heardUntilTheEdgeFallsSilent("o1");
        Instant deadline = T0.plusSeconds(20).plus(TTL);
        advanceBeaconing(deadline, "edge-1");
        advanceTo(deadline.plusSeconds(3));

        beat("o1", deadline.minusMillis(200));
        advanceBeaconing(deadline.plusSeconds(6), "edge-1");

        assertThat(transitions.isEmpty()).as("its heartbeat came through before the edge vouched for its silence").isTrue();
        assertThat(latest("o1").status()).isEqualTo(LivenessStatus.ACTIVE);
    }

    /** What control-api last materialized for an orchestrator heard until {@code lastSeen} through edge-1. */
    void restore(String id, LivenessStatus status, Instant lastSeen) {
        restores.pipeInput(id, new Liveness(id, status, LivenessReason.HEARTBEAT, lastSeen.minusSeconds(60), lastSeen, true,
                "s-1", "edge-1", null, null, lastSeen), wallClock);
    }

    @Test
    void aRestoredOrchestratorThatStaysSilentIsInactiveOnceItsSilenceAddsUpToTheTtl() {
        // The broker's data was lost at T0+5; the new cluster is up at T0+10, and control-api republishes.
        advanceTo(T0.plusSeconds(10));
        for (String id : List.of("dead", "alive")) {
            register(id, false, 1, T0.minusSeconds(600));
            restore(id, LivenessStatus.ACTIVE, T0);
        }
        assertThat(latest("dead")).as("taken up over its registration, and emitted")
                .satisfies(l -> assertThat(l.status()).isEqualTo(LivenessStatus.ACTIVE));
        transitions.readRecordsToList();

        // Its edge is first heard again at T0+12: the silence before, nobody heard.
        advanceTo(T0.plusSeconds(12));
        for (Instant t = T0.plusSeconds(14); !t.isAfter(T0.plusSeconds(12).plus(TTL)); t = t.plusSeconds(2)) {
            advanceBeaconing(t, "edge-1");
            beat("alive", t);
        }
        assertThat(transitions.readValuesToList())
                .extracting(LivenessTransition::orchestratorId, LivenessTransition::to, LivenessTransition::reason,
                        LivenessTransition::at)
                .as("silent for the TTL, not all of it heard: a TTL from its edge's return")
                .containsExactly(tuple("dead", LivenessStatus.UNKNOWN, LivenessReason.EDGE_LOST, T0.plus(TTL)));
        advanceBeaconing(T0.plusSeconds(12).plus(TTL).plusSeconds(2), "edge-1");

        assertThat(transitions.readValuesToList())
                .extracting(LivenessTransition::orchestratorId, LivenessTransition::from, LivenessTransition::to,
                        LivenessTransition::at)
                .containsExactly(tuple("dead", LivenessStatus.UNKNOWN, LivenessStatus.INACTIVE,
                        T0.plusSeconds(12).plus(TTL)));
        assertThat(counts).containsEntry(LivenessStatus.ACTIVE, 1).containsEntry(LivenessStatus.INACTIVE, 1)
                .containsEntry(LivenessStatus.PENDING, 0);
    }

    @Test
    void aRestoredOrchestratorIsUnknownUntilItsEdgeIsHeardThenInactiveATtlLater() {
        // The outage outlasted the TTL; its edge is not heard on the new cluster yet.
        advanceTo(T0.plusSeconds(60));
        register("o1", false, 1, T0.minusSeconds(600));
        restore("o1", LivenessStatus.ACTIVE, T0);
        transitions.readRecordsToList();

        advanceTo(T0.plusSeconds(200));
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::reason)
                .as("its edge's silence, not its own, for all anyone here can tell")
                .containsExactly(tuple(LivenessStatus.UNKNOWN, LivenessReason.EDGE_LOST));

        Instant back = wallClock;
        advanceBeaconing(back.plus(TTL).minusSeconds(1), "edge-1");
        assertThat(transitions.isEmpty()).as("a TTL from its edge's first beacon").isTrue();
        advanceBeaconing(back.plus(TTL).plusSeconds(2), "edge-1");
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::at)
                .containsExactly(tuple(LivenessStatus.INACTIVE, back.plus(TTL)));
    }

    @Test
    void aRestoreReadBeforeItsRegistrationIsTakenUpAndTheRegistrationChangesNothing() {
        // A task starting on a backlog may read the restore topic ahead of the desired-state topic.
        advanceTo(T0.plusSeconds(10));
        restore("early", LivenessStatus.ACTIVE, T0);
        register("early", false, 1, T0.minusSeconds(600));

        assertThat(latest("early").status()).isEqualTo(LivenessStatus.ACTIVE);
        assertThat(transitionsOf("early")).as("no registration over what it was").isEmpty();
        advanceBeaconing(T0.plusSeconds(10).plus(TTL).plusSeconds(2), "edge-1");
        assertThat(latest("early").status()).as("a TTL after its edge was first heard").isEqualTo(LivenessStatus.INACTIVE);
    }

    @Test
    void aRestoreOfAnOrchestratorThisTaskHasHeardChangesNothing() {
        register("o1", false, 1, T0);
        connect("o1", "s-1", T0.plusSeconds(1));
        liveness.readRecordsToList();

        restore("o1", LivenessStatus.INACTIVE, T0);

        assertThat(liveness.isEmpty()).isTrue();
        advanceBeaconing(T0.plusSeconds(20), "edge-1");
        beat("o1", T0.plusSeconds(20));
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to)
                .containsExactly(LivenessStatus.PENDING, LivenessStatus.ACTIVE);
    }

    @Test
    void anEdgeWhoseBeaconSaysItCannotPublishHoldsItsSilentOrchestratorsAsUnknown() {
        heardUntilTheEdgeFallsSilent("o1");

        advanceBeaconing(T0.plusSeconds(20).plus(TTL).plusSeconds(1), false, "edge-1");

        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::reason)
                .containsExactly(tuple(LivenessStatus.UNKNOWN, LivenessReason.EDGE_CANNOT_PUBLISH));
        assertThat(latest("o1").status()).isEqualTo(LivenessStatus.UNKNOWN);
    }

    @Test
    void anUnknownOrchestratorHeardThroughAnotherEdgeIsActiveAgain() {
        heardUntilTheEdgeFallsSilent("o1");
        advanceBeaconing(T0.plusSeconds(55), "edge-2");
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to).containsExactly(LivenessStatus.UNKNOWN);

        beat("o1", "edge-2", T0.plusSeconds(55));
        advanceBeaconing(T0.plusSeconds(80), "edge-2");

        assertThat(transitionsOf("o1")).extracting(LivenessTransition::from, LivenessTransition::to, LivenessTransition::reason)
                .containsExactly(tuple(LivenessStatus.UNKNOWN, LivenessStatus.ACTIVE, LivenessReason.HEARTBEAT));
        assertThat(latest("o1").edgeId()).isEqualTo("edge-2");
    }

    @Test
    void aSessionEndLearntDuringTheBlackoutMakesAnUnknownOrchestratorInactive() {
        heardUntilTheEdgeFallsSilent("o1", "o2");
        advanceTo(T0.plusSeconds(51));
        assertThat(transitions.readValuesToList()).extracting(LivenessTransition::to)
                .containsExactly(LivenessStatus.UNKNOWN, LivenessStatus.UNKNOWN);

        disconnect("o1", "s-1", SessionEvent.ClosedBy.ORCHESTRATOR, 1000, T0.plusSeconds(25));
        disconnect("o2", "s-1", SessionEvent.ClosedBy.NETWORK, 1006, T0.plusSeconds(25));

        assertThat(transitions.readValuesToList())
                .extracting(LivenessTransition::orchestratorId, LivenessTransition::to, LivenessTransition::reason,
                        LivenessTransition::at)
                .containsExactly(
                        tuple("o1", LivenessStatus.INACTIVE, LivenessReason.DISCONNECTED, T0.plusSeconds(50)),
                        tuple("o2", LivenessStatus.INACTIVE, LivenessReason.DISCONNECTED, T0.plusSeconds(50)));
    }

    @Test
    void anEdgeThatStoppedLeavesItsOrchestratorsToTheTtl() {
        heardUntilTheEdgeFallsSilent("o1");
        beacons.pipeInput("edge-1", new EdgeBeacon("edge-1", wallClock, 0, true, true), wallClock);

        advanceTo(T0.plusSeconds(20).plus(TTL).plusSeconds(1));

        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to, LivenessTransition::reason)
                .containsExactly(tuple(LivenessStatus.INACTIVE, LivenessReason.HEARTBEAT_TIMEOUT));
    }

    @Test
    void afterTheBlackoutTheBacklogRevivesTheLivingAndExpiresNobodyUntilItIsRead() {
        heardUntilTheEdgeFallsSilent("alive", "dead");
        advanceTo(T0.plusSeconds(60));
        assertThat(transitions.readValuesToList()).extracting(LivenessTransition::to)
                .containsExactly(LivenessStatus.UNKNOWN, LivenessStatus.UNKNOWN);

        // The edge reaches Kafka again: its beacons and the heartbeats it held back arrive, faster
        // than liveness-stream reads them.
        caughtUp.set(false);
        for (int second = 30; second <= 60; second += 10) {
            beat("alive", T0.plusSeconds(second));
        }
        advanceBeaconing(T0.plusSeconds(150), "edge-1");
        assertThat(transitions.readValuesToList())
                .extracting(LivenessTransition::orchestratorId, LivenessTransition::to)
                .as("the living are back; nobody expires while the backlog is read")
                .containsExactly(tuple("alive", LivenessStatus.ACTIVE));

        caughtUp.set(true);
        for (int second = 70; second <= 150; second += 10) {
            beat("alive", T0.plusSeconds(second));
        }
        advanceBeaconing(T0.plusSeconds(155), "edge-1");
        assertThat(transitions.readValuesToList())
                .extracting(LivenessTransition::orchestratorId, LivenessTransition::from, LivenessTransition::to)
                .containsExactly(tuple("dead", LivenessStatus.UNKNOWN, LivenessStatus.INACTIVE));
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

    /** The inputs about orchestrators; the edges' beacons have a test of their own. */
    static final List<Topic<?>> INPUTS = LivenessTopology.INPUTS.stream()
            .filter(input -> input != Topics.EDGE_BEACONS).toList();

    @ParameterizedTest
    @FieldSource("INPUTS")
    void deadLettersAPoisonRecordAndProcessesTheRecordsAroundIt(Topic<?> input) {
        var raw = driver.createInputTopic(input.name(), new StringSerializer(), new ByteArraySerializer());
        if (input == Topics.LIVENESS_RESTORE) {
            // A restore is taken up over a registration only.
            List.of("o1", "o2", "o3").forEach(id -> register(id, false, 1, T0));
            liveness.readRecordsToList();
        }

        raw.pipeInput("o1", valid(input, "o1"), T0.plusSeconds(1));
        raw.pipeInput("o2", "{not json".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(2));
        raw.pipeInput("o2", valid(input, "o2"), T0.plusSeconds(2));
        raw.pipeInput(null, valid(input, "o3"), T0.plusSeconds(3));
        raw.pipeInput("o3", valid(input, "o3"), T0.plusSeconds(3));

        assertThat(liveness.readRecordsToList()).extracting(TestRecord::key).containsExactly("o1", "o2", "o3");
        assertThat(deadLetters).extracting(DeadLetter::topic, DeadLetter::partition, DeadLetter::offset, DeadLetter::key)
                .containsExactly(tuple(input.name(), 0, 1L, "o2"), tuple(input.name(), 0, 3L, null));
        assertThat(deadLetters.get(0).value()).asString(StandardCharsets.UTF_8).isEqualTo("{not json");
        assertThat(deadLetters.get(0).reason()).startsWith("unreadable " + input.name() + " record: not a valid");
        assertThat(deadLetters.get(1).value()).isEqualTo(valid(input, "o3"));
        assertThat(deadLetters.get(1).reason()).contains("no key");
        assertThat(deadLetters).extracting(DeadLetter::errorType).containsOnly("unreadable");
    }

    @Test
    void deadLettersAPoisonBeaconAndHearsTheBeaconsAroundIt() {
        var raw = driver.createInputTopic(Topics.EDGE_BEACONS.name(), new StringSerializer(), new ByteArraySerializer());
        Serializer<EdgeBeacon> serializer = Topics.EDGE_BEACONS.valueSerde().serializer();

        raw.pipeInput("edge-1", serializer.serialize("", new EdgeBeacon("edge-1", T0, 1, true, false)), T0);
        raw.pipeInput("edge-2", "{not json".getBytes(StandardCharsets.UTF_8), T0);
        raw.pipeInput("edge-3", serializer.serialize("", new EdgeBeacon(null, T0, 1, true, false)), T0);
        raw.pipeInput("edge-4", serializer.serialize("", new EdgeBeacon("edge-4", T0, 1, true, false)), T0);

        assertThat(copy(LivenessTopology.EDGE_STORE)).containsOnlyKeys("edge-1", "edge-4");
        assertThat(deadLetters).extracting(DeadLetter::key).containsExactly("edge-2", "edge-3");
        assertThat(deadLetters.get(1).reason()).contains("a beacon without edgeId");
    }

    /** A value of this input that the rules take, each emitting the orchestrator's liveness. */
    static byte[] valid(Topic<?> input, String id) {
        Object value = switch (input.name()) {
            case "orchestrator.heartbeats.v1" -> new Heartbeat(id, "s-1", "edge-1", null, T0, T0);
            case "orchestrator.session-events.v1" -> SessionEvent.connected(id, "s-1", "edge-1", T0, null);
            case "orchestrator.desired-state.v1" -> new DesiredState(id, "acme", "Acme", "eu-1", null, false, false, 1, null, false, T0);
            case "orchestrator.liveness-restore.v1" -> new Liveness(id, LivenessStatus.ACTIVE, LivenessReason.HEARTBEAT, T0, T0,
                    true, "s-1", "edge-1", null, null, T0);
            default -> throw new IllegalArgumentException(input.name());
        };
        @SuppressWarnings("unchecked")
        Serializer<Object> serializer = (Serializer<Object>) input.valueSerde().serializer();
        return serializer.serialize(input.name(), value);
    }

    @Test
    void deadLettersATombstoneWhereTheTopicHasNone() {
        beat("o1", T0);
        heartbeats.pipeInput("o1", null, T0.plusSeconds(1));
        sessions.pipeInput("o1", null, T0.plusSeconds(1));
        beat("o1", T0.plusSeconds(2));

        assertThat(deadLetters).extracting(DeadLetter::topic, DeadLetter::offset, DeadLetter::key).containsExactly(
                tuple(Topics.HEARTBEATS.name(), 1L, "o1"), tuple(Topics.SESSION_EVENTS.name(), 0L, "o1"));
        assertThat(deadLetters).allSatisfy(letter -> {
            assertThat(letter.value()).isNull();
            assertThat(letter.reason()).contains("tombstone");
        });
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to).containsExactly(LivenessStatus.ACTIVE);
    }

    @Test
    void deadLettersValuesWithoutWhatTheRulesNeed() {
        var rawHeartbeats = driver.createInputTopic(Topics.HEARTBEATS.name(), new StringSerializer(), new ByteArraySerializer());
        var rawSessions = driver.createInputTopic(Topics.SESSION_EVENTS.name(), new StringSerializer(), new ByteArraySerializer());

        rawHeartbeats.pipeInput("o1", "{\"orchestratorId\":\"o1\"}".getBytes(StandardCharsets.UTF_8), T0);
        rawSessions.pipeInput("o1", "{\"orchestratorId\":\"o1\",\"sessionId\":\"s-1\"}".getBytes(StandardCharsets.UTF_8), T0);
        rawHeartbeats.pipeInput("o1", ("{\"orchestratorId\":\"o1\",\"sessionId\":\"s-1\",\"edgeId\":\"e\","
                + "\"receivedAt\":\"+1000000000-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8), T0);
        beat("o1", T0.plusSeconds(1));

        assertThat(deadLetters).extracting(DeadLetter::topic, DeadLetter::reason).containsExactly(
                tuple(Topics.HEARTBEATS.name(), "unreadable orchestrator.heartbeats.v1 record: a heartbeat without receivedAt"),
                tuple(Topics.SESSION_EVENTS.name(),
                        "unreadable orchestrator.session-events.v1 record: a session event without kind or at"),
                tuple(Topics.HEARTBEATS.name(),
                        "unreadable orchestrator.heartbeats.v1 record: receivedAt: a time outside the years 0001 to 9999"));
        assertThat(transitionsOf("o1")).extracting(LivenessTransition::to).containsExactly(LivenessStatus.ACTIVE);
    }

    @Test
    void anErrorOfItsOwnWhileProcessingFailsInsteadOfDeadLettering() {
        driver.close();
        startDriver(new LivenessListener() {
            @Override
            public void transitioned(LivenessStatus from, LivenessStatus to) {
                throw new NullPointerException("a bug of ours");
            }
        });

        assertThatThrownBy(() -> register("o1", false, 1, T0))
                .hasRootCauseInstanceOf(NullPointerException.class).hasRootCauseMessage("a bug of ours");
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void anErrorOfItsOwnInAnExpiryCheckFails() {
        driver.close();
        startDriver(new LivenessListener() {
            @Override
            public void punctuated(long nanos, int deadlinesDue, int windowsDue) {
                throw new IllegalStateException("a bug of ours");
            }
        });

        assertThatThrownBy(() -> driver.advanceWallClockTime(Duration.ofSeconds(1)))
                .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("a bug of ours");
        assertThat(deadLetters).isEmpty();
    }
}
