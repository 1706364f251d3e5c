package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import ai.moolai.admin.ActivityEntry;
import ai.moolai.admin.ApprovalRequest;
import ai.moolai.admin.EnrolmentToken;
import ai.moolai.admin.EnrolmentTokenRequest;
import ai.moolai.admin.Instance;
import ai.moolai.admin.OrganizationRequest;
import ai.moolai.admin.RejectionRequest;
import ai.moolai.admin.WaitingOrchestrator;
import ai.moolai.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

/**
 * Orchestrators nobody registered, through the whole stack: the original client, unchanged and
 * without a token, its frames and HTTP calls exactly as it sends them, waits, is approved through the
 * API and turns ACTIVE, then INACTIVE once killed, or at once when it deregisters;
 * a real agent enrols and keeps the token it is handed; a rejected one is closed with 4403.
 */
@ExtendWith(E2eStack.Extension.class)
class EnrolmentEndToEndTest {

    /** How long a status change may take to reach control-api beyond its cause. */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    @Test
    void theOriginalClientWaitsIsApprovedTurnsActiveAndInactiveOnceKilled(E2eStack stack) throws Exception {
        String id = "original-" + UUID.randomUUID().toString().substring(0, 8);
        String organization = newOrganization(stack, "original");
        URI edgeHttp = URI.create(stack.services().edgeUrl().toString().replace("ws://", "http://"));
        HttpResponse<String> registering = OriginalOrchestrator.call(edgeHttp, "POST",
                "/api/v1/internal/orchestrators/register", "register.json", id);
        assertThat(registering.statusCode()).isEqualTo(200);
        assertThat(Json.frames().readTree(registering.body()).path("status").asString()).isEqualTo("pending_approval");
        try (OriginalOrchestrator original = OriginalOrchestrator.connect(stack.services().edgeUrl(), id,
                E2eStack.KEEPALIVE)) {
            assertThat(original.next("handshake_ack").path("status").asString()).isEqualTo("pending_approval");
            WaitingOrchestrator waiting = awaitWaiting(stack, id);
            assertThat(waiting.hostname()).isEqualTo("orchestrator-host");
            assertThat(waiting.version()).isEqualTo("1.0.0");
            assertThat(waiting.name()).isEqualTo("Original orchestrator");
            assertThat(waiting.keyFingerprint()).isNull();
            assertThat(waiting.remoteAddress()).isNotBlank();

            Instance approved = stack.admin().approveEnrolment(id, new ApprovalRequest(waiting.sessionId(), organization,
                    null, null, true));

            assertThat(approved.tokenlessAllowed()).isTrue();
            JsonNode admitted = original.next("handshake_ack");
            assertThat(admitted.has("status")).isFalse();
            assertThat(original.next("provisioning").path("data").path("orchestrator_id").asString()).isEqualTo(id);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stack.status(id), "ACTIVE"::equals);
            assertThat(stack.admin().enrolments()).extracting(WaitingOrchestrator::orchestratorId).doesNotContain(id);
            assertThat(stack.admin().activity("orchestrator.enrolment", id, null, null).items())
                    .extracting(ActivityEntry::action).containsExactly("orchestrator.enrolment.approved");
            JsonNode registered = Json.frames().readTree(OriginalOrchestrator.call(edgeHttp, "POST",
                    "/api/v1/internal/orchestrators/register", "register.json", id).body());
            assertThat(registered.path("status").asString()).isEqualTo("active");
            assertThat(registered.path("organization_name").asString()).isEqualTo(organization);
            assertThat(OriginalOrchestrator.call(edgeHttp, "POST", "/api/v1/internal/orchestrators/heartbeat",
                    "heartbeat.json", id).statusCode()).isEqualTo(200);

            original.kill();
            await().atMost(E2eStack.TTL.plus(MARGIN)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stack.status(id), "INACTIVE"::equals);
            assertThat(stack.liveness(id).reason()).isEqualTo("heartbeat_timeout");
        }
    }

    @Test
    void theOriginalClientsDeregisterMakesItInactiveAtOnce(E2eStack stack) throws Exception {
        String id = "leaving-" + UUID.randomUUID().toString().substring(0, 8);
        String organization = newOrganization(stack, "leaving");
        URI edgeHttp = URI.create(stack.services().edgeUrl().toString().replace("ws://", "http://"));
        try (OriginalOrchestrator original = OriginalOrchestrator.connect(stack.services().edgeUrl(), id,
                E2eStack.KEEPALIVE)) {
            original.next("handshake_ack");
            String sessionId = awaitWaiting(stack, id).sessionId();
            stack.admin().approveEnrolment(id, new ApprovalRequest(sessionId, organization, null, null, true));
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stack.status(id), "ACTIVE"::equals);

            assertThat(OriginalOrchestrator.call(edgeHttp, "DELETE", "/api/v1/internal/orchestrators/" + id + "/deregister",
                    null, id).statusCode()).isEqualTo(200);

            assertThat(original.awaitClose()).isEqualTo(1000);
            await().atMost(MARGIN).pollInterval(Duration.ofMillis(100)).until(() -> stack.status(id), "INACTIVE"::equals);
            assertThat(stack.liveness(id).reason()).isEqualTo("disconnected");
        }
    }

    @Test
    void anAgentEnrolsAndKeepsTheTokenItIsHanded(E2eStack stack) throws Exception {
        String id = "enrolled-" + UUID.randomUUID().toString().substring(0, 8);
        String organization = newOrganization(stack, "enrolled");
        try (Agent agent = stack.startAgent(id, null, Map.of())) {
            WaitingOrchestrator waiting = awaitWaiting(stack, id);
            assertThat(waiting.keyFingerprint()).isNotNull();
            String key = agent.env().get("ORCHESTRATOR_ENROLMENT_KEY");
            assertThat(key).isNotBlank();

            Instance approved = stack.admin().approveEnrolment(id, new ApprovalRequest(waiting.sessionId(), organization,
                    "Enrolled agent", null, null));

            assertThat(approved.hasCredential()).isTrue();
            assertThat(approved.tokenlessAllowed()).isFalse();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stack.status(id), "ACTIVE"::equals);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(agent.env())
                    .containsEntry("ORCHESTRATOR_TOKEN", key).containsEntry("ORCHESTRATOR_ENROLMENT_KEY", ""));
        }
    }

    @Test
    void anAgentWithAnAutoApprovingEnrolmentTokenIsRegisteredWithoutAnAdmin(E2eStack stack) throws Exception {
        String id = "tokened-" + UUID.randomUUID().toString().substring(0, 8);
        String organization = newOrganization(stack, "tokened");
        EnrolmentToken.WithToken issued = stack.admin().createEnrolmentToken(organization,
                new EnrolmentTokenRequest("e2e", true, 600L, 1));
        try (Agent agent = stack.startAgent(id, null, Map.of("ORCHESTRATOR_ENROLMENT_TOKEN", issued.token()))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> statusOrNothing(stack, id), "ACTIVE"::equals);
            assertThat(stack.admin().instance(id).organizationId()).isEqualTo(organization);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(agent.env())
                    .containsEntry("ORCHESTRATOR_ENROLMENT_KEY", "")
                    .hasEntrySatisfying("ORCHESTRATOR_TOKEN", token -> assertThat(token).startsWith("mo_")));
            assertThat(stack.admin().enrolmentTokens(organization)).singleElement()
                    .satisfies(token -> assertThat(token.uses()).isEqualTo(1));
            assertThat(stack.admin().activity("orchestrator.enrolment", id, null, null).items()).singleElement()
                    .satisfies(entry -> assertThat(entry.actor()).isEqualTo("enrolment-token:" + issued.enrolmentToken().tokenId()));
        }
    }

    @Test
    void aRejectedOrchestratorIsClosedWith4403AndRefusedOnReturn(E2eStack stack) throws Exception {
        String id = "stranger-" + UUID.randomUUID().toString().substring(0, 8);
        try (OriginalOrchestrator stranger = OriginalOrchestrator.connect(stack.services().edgeUrl(), id,
                E2eStack.KEEPALIVE)) {
            stranger.next("handshake_ack");
            awaitWaiting(stack, id);

            WaitingOrchestrator rejected = stack.admin().rejectEnrolment(id, new RejectionRequest(600L));

            assertThat(rejected.rejectedUntil()).isNotNull();
            assertThat(stranger.awaitClose()).isEqualTo(4403);
        }
        try (OriginalOrchestrator again = OriginalOrchestrator.connect(stack.services().edgeUrl(), id, E2eStack.KEEPALIVE)) {
            assertThat(again.awaitClose()).isEqualTo(4403);
        }
        assertThat(stack.admin().activity("orchestrator.enrolment", id, null, null).items())
                .extracting(ActivityEntry::action).containsExactly("orchestrator.enrolment.rejected");
    }

    /** Its status, or nothing while it is not registered. */
    private static String statusOrNothing(E2eStack stack, String id) {
        try {
            return stack.status(id);
        } catch (RestClientResponseException notYet) {
            return null;
        }
    }

    private static WaitingOrchestrator awaitWaiting(E2eStack stack, String id) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> stack.admin().enrolments().stream()
                        .filter(request -> request.orchestratorId().equals(id) && request.waiting())
                        .findFirst().orElse(null), request -> request != null);
    }

    private static String newOrganization(E2eStack stack, String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return stack.admin().createOrganization(new OrganizationRequest(id, id + " Inc", null, null, null)).organizationId();
    }
}
