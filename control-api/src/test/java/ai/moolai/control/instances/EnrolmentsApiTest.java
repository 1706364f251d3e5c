package ai.moolai.control.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.UUID;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.ListenerBatches;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.ActivityEntry;
import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Enrolment;
import ai.moolai.protocol.kafka.EnrolmentRefusal;
import ai.moolai.protocol.kafka.EnrolmentToken;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import tools.jackson.databind.JsonNode;

/**
 * The waiting room as admins see it: what the edges report on {@code orchestrator.enrolments.v1}
 * is listed (a bad record among them dead-lettered, the rest kept), an approval registers the
 * orchestrator with its enrolment key as its token (or tokenless for an original client) and a
 * rejection reaches the edges; both are audited.
 */
@ControlApiTest
class EnrolmentsApiTest {

    private static final String ENROLMENTS = "/api/v1/controller/enrolments";

    private static TopicProbe<DesiredState> desired;
    private static TopicProbe<ActivityEntry> activity;
    private static TopicProbe<EnrolmentRefusal> refusals;
    private static TopicProbe<EnrolmentToken> enrolmentTokens;
    private static KafkaProducer<String, byte[]> edge;

    @LocalServerPort
    private int port;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    private ApiClient api;

    @BeforeAll
    static void probes() {
        desired = TopicProbe.of(Topics.DESIRED_STATE);
        activity = TopicProbe.of(Topics.ACTIVITY);
        refusals = TopicProbe.of(Topics.ENROLMENT_REFUSALS);
        enrolmentTokens = TopicProbe.of(Topics.ENROLMENT_TOKENS);
        edge = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void closeProbes() throws InterruptedException {
        desired.close();
        activity.close();
        refusals.close();
        enrolmentTokens.close();
        edge.close();
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void listsWhatTheEdgesReportAndDeadLettersABadRecordWithoutLosingTheRest() throws Exception {
        String before = newId();
        String after = newId();
        String key = Credentials.newToken();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ListenerBatches.inOneBatch(listeners, Enrolments.CONSUMER, List.of(
                record(before, waiting(before, "s-1", at, Credentials.hash(key))),
                new ProducerRecord<>(Topics.ENROLMENTS.name(), before,
                        ("{\"schemaVersion\":1,\"orchestratorId\":\"" + before + "\",\"kind\":\"SOMETHING\"}")
                                .getBytes(StandardCharsets.UTF_8)),
                record(after, waiting(after, "s-2", at, null)),
                record(after, new Enrolment(after, Enrolment.Kind.SEEN, "s-2", "edge-1", at.plusSeconds(15), null, null,
                        null, null, "203.0.113.7", null, null)),
                record(before, new Enrolment(before, Enrolment.Kind.LEFT, "s-1", "edge-1", at.plusSeconds(5), null, null,
                        null, null, "203.0.113.7", null, null))));

        JsonNode first = awaitListed(before, request -> !request.path("waiting").asBoolean());
        assertThat(first.path("hostname").asString()).isEqualTo("h-" + before);
        assertThat(first.path("version").asString()).isEqualTo("1.1.0");
        assertThat(first.path("name").asString()).isEqualTo("Acme staging");
        assertThat(first.path("location").asString()).isEqualTo("eu-1");
        assertThat(first.path("features").path("cache").path("enabled").asBoolean()).isTrue();
        assertThat(first.path("remoteAddress").asString()).isEqualTo("203.0.113.7");
        assertThat(first.path("keyFingerprint").asString()).isEqualTo(Credentials.fingerprint(Credentials.hash(key)));
        assertThat(first.path("sessionId").asString()).isEqualTo("s-1");
        assertThat(first.toString()).doesNotContain(Credentials.hash(key).substring(7));
        JsonNode second = awaitListed(after, request -> Instant.parse(request.path("lastSeenAt").asString())
                .equals(at.plusSeconds(15)));
        assertThat(second.path("waiting").asBoolean()).isTrue();
        assertThat(second.path("keyFingerprint").isNull()).isTrue();
        assertThat(Instant.parse(second.path("firstSeenAt").asString())).isEqualTo(at);
        ConsumerRecord<String, byte[]> dead = TestKafka.awaitDeadLetters(Topics.ENROLMENTS,
                record -> before.equals(record.key()), 1).get(0);
        assertThat(new String(dead.headers().lastHeader(DeadLetters.EXCEPTION_MESSAGE).value(), StandardCharsets.UTF_8))
                .contains("SOMETHING");
    }

    @Test
    void approvingRegistersItWithItsEnrolmentKeyAsItsToken() throws Exception {
        String id = newId();
        String key = Credentials.newToken();
        String organization = api.createOrchestrator("enrol").instance().organizationId();
        send(id, waiting(id, "s-1", Instant.now(), Credentials.hash(key)));
        awaitListed(id, request -> true);

        assertThat(api.post(ENROLMENTS + "/" + id + "/approve", ApiClient.ADMIN,
                "{\"sessionId\":\"s-0\",\"organizationId\":\"" + organization + "\"}").status())
                .as("a request replaced since it was read").isEqualTo(409);
        ApiClient.Response approved = api.post(ENROLMENTS + "/" + id + "/approve", ApiClient.ADMIN,
                "{\"sessionId\":\"s-1\",\"organizationId\":\"" + organization + "\"}");

        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.body().path("name").asString()).isEqualTo("Acme staging");
        assertThat(approved.body().path("hasCredential").asBoolean()).isTrue();
        assertThat(approved.body().path("tokenlessAllowed").asBoolean()).isFalse();
        DesiredState state = desired.await(id, value -> value != null);
        assertThat(state.credentialHash()).isEqualTo(Credentials.hash(key));
        assertThat(state.organizationId()).isEqualTo(organization);
        assertThat(activity.await(id, entry -> entry.action().equals("orchestrator.enrolment.approved")).actor())
                .isEqualTo("token:dev");
        assertThat(api.get(ENROLMENTS, ApiClient.VIEWER).body().toString()).doesNotContain(id);
        assertThat(api.post(ENROLMENTS + "/" + id + "/approve", ApiClient.ADMIN,
                "{\"sessionId\":\"s-1\",\"organizationId\":\"" + organization + "\"}").status()).as("approved once")
                .isEqualTo(404);
    }

    @Test
    void approvingAnOriginalClientAllowsItWithoutAToken() throws Exception {
        String id = newId();
        String organization = api.createOrchestrator("original").instance().organizationId();
        send(id, waiting(id, "s-1", Instant.now(), null));
        awaitListed(id, request -> true);

        assertThat(api.post(ENROLMENTS + "/" + id + "/approve", ApiClient.ADMIN,
                "{\"sessionId\":\"s-1\",\"organizationId\":\"" + organization + "\"}").status())
                .as("without the admin's word that it may connect without a token").isEqualTo(400);
        ApiClient.Response approved = api.post(ENROLMENTS + "/" + id + "/approve", ApiClient.ADMIN,
                "{\"sessionId\":\"s-1\",\"organizationId\":\"" + organization + "\",\"name\":\"Legacy one\","
                        + "\"allowTokenless\":true}");

        assertThat(approved.body().path("name").asString()).isEqualTo("Legacy one");
        assertThat(approved.body().path("hasCredential").asBoolean()).isFalse();
        assertThat(approved.body().path("tokenlessAllowed").asBoolean()).isTrue();
        DesiredState state = desired.await(id, value -> value != null);
        assertThat(state.tokenlessAllowed()).isTrue();
        assertThat(state.credentialHash()).isNull();
    }

    @Test
    void rejectingRefusesItAtTheEdgesForAWhile() throws Exception {
        String id = newId();
        send(id, waiting(id, "s-1", Instant.now(), null));
        awaitListed(id, request -> true);

        ApiClient.Response rejected = api.post(ENROLMENTS + "/" + id + "/reject", ApiClient.ADMIN, "{\"forSeconds\":600}");

        assertThat(rejected.status()).isEqualTo(200);
        Instant until = Instant.parse(rejected.body().path("rejectedUntil").asString());
        assertThat(Duration.between(Instant.now(), until)).isBetween(Duration.ofSeconds(540), Duration.ofSeconds(601));
        assertThat(refusals.await(id, refusal -> true).until()).isEqualTo(until);
        assertThat(activity.await(id, entry -> entry.action().equals("orchestrator.enrolment.rejected")).details()
                .path("until").asString()).isEqualTo(until.toString());
        assertThat(api.post(ENROLMENTS + "/" + id + "/reject", ApiClient.ADMIN, null).status())
                .as("without a body: the configured time").isEqualTo(200);
    }

    @Test
    void anEnrolmentTokenIsShownOnceListedRevokedAndKnownToTheEdgesByItsHashOnly() throws Exception {
        String organization = api.createOrchestrator("tokens").instance().organizationId();
        String path = "/api/v1/controller/organizations/" + organization + "/enrolment-tokens";

        ApiClient.Response created = api.post(path, ApiClient.ADMIN,
                "{\"description\":\"rack 7\",\"autoApprove\":true,\"expiresInSeconds\":3600,\"maxUses\":2}");

        assertThat(created.status()).isEqualTo(201);
        String token = created.body().path("token").asString();
        String tokenId = created.body().path("enrolmentToken").path("tokenId").asString();
        assertThat(token).startsWith("mo_");
        JsonNode listed = api.get(path, ApiClient.VIEWER).body().get(0);
        assertThat(listed.path("tokenId").asString()).isEqualTo(tokenId);
        assertThat(listed.path("maxUses").asInt()).isEqualTo(2);
        assertThat(listed.path("uses").asInt()).isZero();
        assertThat(listed.toString()).doesNotContain(token).doesNotContain(Credentials.hash(token));
        EnrolmentToken published = enrolmentTokens.await(tokenId, value -> value != null);
        assertThat(published.tokenHash()).isEqualTo(Credentials.hash(token));
        assertThat(published.organizationId()).isEqualTo(organization);
        assertThat(published.autoApprove()).isTrue();
        assertThat(published.revoked()).isFalse();

        assertThat(api.delete(path + "/" + tokenId, ApiClient.ADMIN).body().path("revokedAt").isNull()).isFalse();
        assertThat(enrolmentTokens.await(tokenId, EnrolmentToken::revoked).tokenHash()).isEqualTo(Credentials.hash(token));
        assertThat(activity.await(tokenId, entry -> entry.action().equals("enrolment-token.revoked")).targetType())
                .isEqualTo("enrolment-token");
        assertThat(api.post("/api/v1/controller/organizations/nowhere-org/enrolment-tokens", ApiClient.ADMIN, "{}").status())
                .isEqualTo(404);
    }

    @Test
    void anAutoApprovingTokenRegistersWhomItEnrolsIntoItsOrganizationUpToItsLimit() throws Exception {
        String organization = api.createOrchestrator("auto").instance().organizationId();
        String tokenId = api.post("/api/v1/controller/organizations/" + organization + "/enrolment-tokens", ApiClient.ADMIN,
                "{\"autoApprove\":true,\"maxUses\":1}").body().path("enrolmentToken").path("tokenId").asString();
        String first = newId();
        String second = newId();
        String key = Credentials.newToken();

        send(first, waiting(first, "s-1", Instant.now(), Credentials.hash(key), tokenId));
        DesiredState state = desired.await(first, value -> value != null);
        assertThat(state.organizationId()).isEqualTo(organization);
        assertThat(state.credentialHash()).isEqualTo(Credentials.hash(key));
        assertThat(activity.await(first, entry -> entry.action().equals("orchestrator.enrolment.approved")).actor())
                .isEqualTo("enrolment-token:" + tokenId);

        send(second, waiting(second, "s-2", Instant.now(), Credentials.hash(Credentials.newToken()), tokenId));
        JsonNode waitsForAnAdmin = awaitListed(second, request -> true);
        assertThat(waitsForAnAdmin.path("enrolmentTokenId").asString()).isEqualTo(tokenId);
        assertThat(waitsForAnAdmin.path("proposedOrganizationId").asString()).isEqualTo(organization);
        assertThat(api.get("/api/v1/controller/organizations/" + organization + "/enrolment-tokens", ApiClient.VIEWER)
                .body().get(0).path("uses").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/controller/orchestrator-instances/" + second, ApiClient.VIEWER).status()).isEqualTo(404);

        api.post(ENROLMENTS + "/" + second + "/approve", ApiClient.ADMIN,
                "{\"sessionId\":\"s-2\",\"organizationId\":\"" + organization + "\"}");
        assertThat(api.get("/api/v1/controller/organizations/" + organization + "/enrolment-tokens", ApiClient.VIEWER)
                .body().get(0).path("uses").asInt()).as("an admin's approval through the token counts too").isEqualTo(2);
    }

    @Test
    void refusesApprovalIntoAnOrganizationThatDoesNotExistOrForAnIdNobodyAsked() throws Exception {
        String id = newId();
        send(id, waiting(id, "s-1", Instant.now(), null));
        awaitListed(id, request -> true);

        assertThat(api.post(ENROLMENTS + "/" + id + "/approve", ApiClient.ADMIN,
                "{\"sessionId\":\"s-1\",\"organizationId\":\"nowhere-org\",\"allowTokenless\":true}").status())
                .isEqualTo(400);
        assertThat(api.post(ENROLMENTS + "/" + id + "/approve", ApiClient.ADMIN, "{}").status()).isEqualTo(400);
        assertThat(api.post(ENROLMENTS + "/never-asked/approve", ApiClient.ADMIN,
                "{\"sessionId\":\"s-1\",\"organizationId\":\"x\"}").status()).isEqualTo(404);
        assertThat(api.post(ENROLMENTS + "/never-asked/reject", ApiClient.ADMIN, null).status()).isEqualTo(404);
        assertThat(awaitListed(id, request -> true).path("waiting").asBoolean()).as("still waiting").isTrue();
    }

    private JsonNode awaitListed(String id, Predicate<JsonNode> matching) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (JsonNode request : api.get(ENROLMENTS, ApiClient.VIEWER).body()) {
                if (request.path("orchestratorId").asString().equals(id) && matching.test(request)) {
                    return request;
                }
            }
            return null;
        }, request -> request != null);
    }

    private static Enrolment waiting(String id, String sessionId, Instant at, String keyHash) {
        return waiting(id, sessionId, at, keyHash, null);
    }

    private static Enrolment waiting(String id, String sessionId, Instant at, String keyHash, String enrolmentTokenId) {
        return new Enrolment(id, Enrolment.Kind.WAITING, sessionId, "edge-1", at,
                new SessionEvent.Client("1.1.0", "h-" + id, "10.0.0.9"), "Acme staging", "eu-1",
                Json.events().readTree("{\"cache\":{\"enabled\":true}}"), "203.0.113.7", keyHash, enrolmentTokenId);
    }

    private static void send(String key, Enrolment value) throws Exception {
        edge.send(record(key, value)).get();
    }

    private static ProducerRecord<String, byte[]> record(String key, Enrolment value) {
        return new ProducerRecord<>(Topics.ENROLMENTS.name(), key,
                Topics.ENROLMENTS.valueSerde().serializer().serialize(Topics.ENROLMENTS.name(), value));
    }

    private static String newId() {
        return "new-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
