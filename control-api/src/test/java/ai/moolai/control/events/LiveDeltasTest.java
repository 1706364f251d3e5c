package ai.moolai.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.SseClient;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The fleet's changes reach the dashboard coalesced, each orchestrator's latest liveness with the
 * fleet's counts, and a stream opened with the last id its browser saw gets what it missed, or
 * {@code reset} when that is not known.
 */
@ControlApiTest
class LiveDeltasTest {

    @LocalServerPort
    private int port;

    private ApiClient api;

    @Autowired
    private EventHub hub;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void aStormOfChangesGoesOutAsAFewEventsEachWithTheLatestLivenessAndTheCounts() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(api.createOrchestrator("storm").orchestratorId());
        }
        long inactiveBefore = api.get("/api/v1/controller/orchestrators/summary", ApiClient.VIEWER).body()
                .path("counts").path("INACTIVE").asLong();
        try (SseClient sse = SseClient.open(port, ApiClient.VIEWER).ready()) {
            Instant now = Instant.now();
            int records = 0;
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestKafka.bootstrapServers()), Topics.LIVENESS.keySerde().serializer(),
                    Topics.LIVENESS.valueSerde().serializer())) {
                for (LivenessStatus status : List.of(LivenessStatus.ACTIVE, LivenessStatus.UNKNOWN, LivenessStatus.INACTIVE)) {
                    for (String id : ids) {
                        records++;
                        producer.send(new ProducerRecord<>(Topics.LIVENESS.name(), id, new Liveness(id, status,
                                LivenessReason.HEARTBEAT, now, now, true, "s-1", "edge-1", null, null, now.plusMillis(records))));
                    }
                }
            }

            Map<String, String> latest = new HashMap<>();
            Awaitility.await().untilAsserted(() -> {
                latest.clear();
                for (SseClient.Event event : sse.events()) {
                    if ("fleet".equals(event.name())) {
                        Json.events().readTree(event.data()).path("orchestrators").forEach(liveness ->
                                latest.put(liveness.path("orchestratorId").asString(), liveness.path("status").asString()));
                    }
                }
                assertThat(latest).as("each orchestrator's latest liveness").hasSize(ids.size())
                        .allSatisfy((id, status) -> assertThat(status).isEqualTo("INACTIVE"));
            });
            List<SseClient.Event> fleet = sse.events().stream().filter(event -> "fleet".equals(event.name())).toList();
            assertThat(fleet.size()).as("fleet events for " + records + " changes").isLessThan(records / 4);
            assertThat(sse.events()).as("no event per change").noneMatch(event -> "liveness".equals(event.name()));
            // The summary comes in events of its own, read again at most every second, the last read after the changes.
            Awaitility.await().untilAsserted(() -> assertThat(sse.events().stream()
                    .filter(event -> "fleet".equals(event.name()))
                    .map(event -> Json.events().readTree(event.data()).path("summary"))
                    .filter(summary -> !summary.isNull()).reduce((first, second) -> second).orElseThrow()
                    .path("counts").path("INACTIVE").asLong()).isEqualTo(inactiveBefore + ids.size()));
        }
    }

    @Test
    void aStreamThatWatchesSomeOrchestratorsIsSentOnlyTheirChangesAndHowManyOthersChanged() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(api.createOrchestrator("watched").orchestratorId());
        }
        List<String> watched = ids.subList(0, 5);
        Watch watch = Watch.of(watched, 16);
        try (SseClient all = SseClient.open(port, ApiClient.VIEWER).ready();
             SseClient some = SseClient.withQuery(port, "ticket=" + SseClient.ticket(port, ApiClient.VIEWER)
                     + "&watch=" + watch.encoded()).ready()) {
            publishInactive(ids);
            Awaitility.await().untilAsserted(() -> {
                assertThat(carried(all)).containsAll(ids);
                assertThat(carried(some)).containsAll(watched);
            });
            assertThat(carried(some)).as("only what it watches, or what its filter cannot tell from it")
                    .allSatisfy(id -> assertThat(watch.mayHold(id)).isTrue())
                    .hasSizeLessThan(ids.size());
            // The same events, each with what it watches carried and the rest counted.
            List<SseClient.Event> someFleet = some.events().stream().filter(event -> "fleet".equals(event.name())).toList();
            Awaitility.await().untilAsserted(() -> assertThat(all.events().stream().map(SseClient.Event::id).toList())
                    .containsAll(someFleet.stream().map(SseClient.Event::id).toList()));
            Map<String, Integer> changedPerEvent = new HashMap<>();
            all.events().stream().filter(event -> "fleet".equals(event.name())).forEach(event -> changedPerEvent.put(
                    event.id(), Json.events().readTree(event.data()).path("orchestrators").size()));
            assertThat(someFleet).isNotEmpty().allSatisfy(event -> {
                var change = Json.events().readTree(event.data());
                assertThat(change.path("orchestrators").size() + change.path("others").asInt())
                        .isEqualTo(changedPerEvent.get(event.id()));
            });
        }
    }

    @Test
    void aBatchTooLargeForAStreamThatTakesEverythingIsTruncatedForItButAWatchingStreamStillGetsItsOwn() {
        // More than one event carries to a stream that takes every change, in one coalescing window
        // (published faster than it turns; split by one turn at most, one part still holds more).
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3 * EventHub.MAX_CHANGES; i++) {
            ids.add("truncation-" + i);
        }
        List<String> watched = List.of(ids.get(7), ids.get(1500), ids.get(2999));
        Watch watch = Watch.of(watched, 16);
        try (SseClient all = SseClient.open(port, ApiClient.VIEWER).ready();
             SseClient some = SseClient.withQuery(port, "ticket=" + SseClient.ticket(port, ApiClient.VIEWER)
                     + "&watch=" + watch.encoded()).ready()) {
            for (String id : ids) {
                hub.publish("liveness", Json.events().valueToTree(Map.of("orchestratorId", id, "status", "INACTIVE")));
            }

            Awaitility.await().untilAsserted(() -> assertThat(carried(some)).containsAll(watched));
            assertThat(fleetEvents(some)).as("a watching stream is never truncated")
                    .noneMatch(change -> change.path("truncated").asBoolean());
            // The same events, each with what it watches carried and the rest counted.
            Awaitility.await().untilAsserted(() -> assertThat(fleetEvents(all).stream()
                    .filter(change -> change.path("truncated").asBoolean())).as("too many for one event")
                    .isNotEmpty().allSatisfy(change -> assertThat(change.path("orchestrators")).isEmpty()));
            int carriedAndCounted = fleetEvents(some).stream().mapToInt(change -> change.path("orchestrators").size()
                    + change.path("others").asInt()).sum();
            assertThat(carriedAndCounted).isGreaterThanOrEqualTo(ids.size());
        }
    }

    private static List<JsonNode> fleetEvents(SseClient sse) {
        return sse.events().stream().filter(event -> "fleet".equals(event.name()))
                .map(event -> Json.events().readTree(event.data())).toList();
    }

    @Test
    void lastSeenIsTheLatestHeartbeatToTheSecondPastARecordItCannotReadAndWatchingStreamsAreToldEachSecond() {
        String watched = api.createOrchestrator("heard").orchestratorId();
        String other = api.createOrchestrator("heard").orchestratorId();
        Watch watch = Watch.of(List.of(watched), 8);
        try (SseClient sse = SseClient.withQuery(port, "ticket=" + SseClient.ticket(port, ApiClient.VIEWER)
                + "&watch=" + watch.encoded()).ready()) {
            Instant first = Instant.now().minusSeconds(5);
            Instant latest = Instant.now().minusMillis(1500);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                Awaitility.await().untilAsserted(() -> {
                    // Until control-api follows the topic (it may start after these are sent): then a heartbeat, one it cannot
                    // read, and a later heartbeat.
                    producer.send(heartbeat(watched, first));
                    producer.send(new ProducerRecord<>(Topics.HEARTBEATS.name(), watched, "{not a heartbeat".getBytes()));
                    producer.send(heartbeat(watched, latest));
                    producer.send(heartbeat(other, latest));
                    producer.flush();
                    assertThat(lastSeenOf(watched)).isEqualTo(latest);
                });
            }
            Awaitility.await().untilAsserted(() -> assertThat(lastSeenOf(other)).as("heard too, though not watched")
                    .isEqualTo(latest));
            Awaitility.await().untilAsserted(() -> assertThat(sse.events().stream()
                    .filter(event -> "seen".equals(event.name()))
                    .map(event -> Json.events().readTree(event.data()).path("lastSeen").path(watched).asString())
                    .toList()).contains(latest.toString()));
            assertThat(sse.events().stream().filter(event -> "seen".equals(event.name())))
                    .as("only what it watches, or what its filter cannot tell from it")
                    .allSatisfy(event -> Json.events().readTree(event.data()).path("lastSeen").propertyNames()
                            .forEach(id -> assertThat(watch.mayHold(id)).isTrue()));
        }
    }

    /** Its last seen as the API says it, or null before it was heard. */
    private Instant lastSeenOf(String id) {
        JsonNode lastSeen = api.get("/api/v1/controller/orchestrator-instances/" + id, ApiClient.VIEWER).body()
                .path("liveness").path("lastSeen");
        return lastSeen.isNull() || lastSeen.isMissingNode() ? null : Instant.parse(lastSeen.asString());
    }

    private static ProducerRecord<String, byte[]> heartbeat(String id, Instant at) {
        return new ProducerRecord<>(Topics.HEARTBEATS.name(), id, Topics.HEARTBEATS.valueSerde().serializer()
                .serialize(Topics.HEARTBEATS.name(), new Heartbeat(id, "s-1", "edge-1", null, null, at)));
    }

    @Test
    void aWatchThatIsNotOneIsRefused() {
        assertThat(SseClient.withQuery(port, "ticket=" + SseClient.ticket(port, ApiClient.VIEWER) + "&watch=not*base64")
                .status()).isEqualTo(400);
        assertThat(SseClient.withQuery(port, "ticket=" + SseClient.ticket(port, ApiClient.VIEWER) + "&watch="
                + Watch.of(List.of("a"), Watch.MAX_BYTES + 1).encoded()).status()).isEqualTo(400);
        assertThat(SseClient.withQuery(port, "ticket=" + SseClient.ticket(port, ApiClient.VIEWER) + "&watch="
                + "_".repeat(16)).status()).as("every bit set: it would hold every id").isEqualTo(400);
    }

    @Test
    void theDashboardAndControlApiHashAlike() {
        // The same filter as the dashboard's test of its own encoding (watch.test.ts).
        Watch watch = Watch.parse("AAAAABAAIEEQBAAEAAAAgA");
        assertThat(Watch.of(List.of("fleet-1", "fleet-22"), 16).encoded()).isEqualTo("AAAAABAAIEEQBAAEAAAAgA");
        assertThat(watch.mayHold("fleet-1")).isTrue();
        assertThat(watch.mayHold("fleet-22")).isTrue();
        assertThat(watch.mayHold("fleet-3")).isFalse();
    }

    /** Every orchestrator id the stream's fleet events carried. */
    private static List<String> carried(SseClient sse) {
        List<String> ids = new ArrayList<>();
        sse.events().stream().filter(event -> "fleet".equals(event.name())).forEach(event -> Json.events()
                .readTree(event.data()).path("orchestrators").forEach(liveness -> ids.add(liveness.path("orchestratorId").asString())));
        return ids;
    }

    private static void publishInactive(List<String> ids) {
        Instant now = Instant.now();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), Topics.LIVENESS.keySerde().serializer(), Topics.LIVENESS.valueSerde().serializer())) {
            for (String id : ids) {
                producer.send(new ProducerRecord<>(Topics.LIVENESS.name(), id, new Liveness(id, LivenessStatus.INACTIVE,
                        LivenessReason.HEARTBEAT, now, now, false, "s-1", "edge-1", null, null, now)));
            }
        }
    }

    @Test
    void aStreamResumedAfterItsLastEventGetsWhatItMissedAndAnUnknownIdGetsReset() {
        String lastSeen;
        try (SseClient first = SseClient.open(port, ApiClient.VIEWER).ready()) {
            lastSeen = first.events().get(0).id();
            assertThat(lastSeen).as("the ready event carries the last id").matches("[0-9a-f]{8}-\\d+");
        }
        String missed = api.createOrchestrator("missed").orchestratorId();

        try (SseClient resumed = SseClient.resume(port, ApiClient.VIEWER, lastSeen).ready()) {
            SseClient.Event activity = resumed.awaitEvent(event -> "activity".equals(event.name())
                    && event.data().contains(missed));
            assertThat(resumed.events().indexOf(activity)).as("what it missed comes before ready")
                    .isLessThan(resumed.events().indexOf(resumed.awaitEvent(event -> "ready".equals(event.name()))));
            assertThat(resumed.events()).noneMatch(event -> "reset".equals(event.name()));
            long seen = Long.parseLong(lastSeen.substring(lastSeen.indexOf('-') + 1));
            assertThat(resumed.events()).as("nothing it had seen comes again").allSatisfy(event -> assertThat(
                    Long.parseLong(event.id().substring(event.id().indexOf('-') + 1))).isGreaterThan(seen));
        }
        for (String unknown : List.of("0000beef-1", "not an id", lastSeen.split("-")[0] + "-999999999")) {
            try (SseClient reset = SseClient.resume(port, ApiClient.VIEWER, unknown.replace(" ", "%20")).ready()) {
                assertThat(reset.awaitEvent(event -> "reset".equals(event.name())).data()).as(unknown)
                        .contains("read everything again");
            }
        }
    }
}
