package ai.moolai.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.SseClient;
import ai.moolai.control.TestIssuer;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The event stream opens with a single-use ticket, never with a token in the URL, and ends when the
 * credential behind it expires or the stream reaches its maximum age (8 s here).
 */
@ControlApiTest
@TestPropertySource(properties = "controller.security.event-stream.max-age=8s")
class EventStreamTest {


    @LocalServerPort
    private int port;

    private ApiClient api;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        TestIssuer.register(registry);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void eitherRoleOpensTheStreamWithATicketValidForThirtySeconds() {
        var answer = api.post("/api/v1/events/tickets", ApiClient.VIEWER, null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("ticket").asString()).matches("[A-Za-z0-9_-]{43,}");
        assertThat(Instant.parse(answer.body().path("expiresAt").asString()))
                .isBetween(Instant.now().plusSeconds(25), Instant.now().plusSeconds(31));

        try (SseClient viewer = SseClient.withQuery(port, "ticket=" + answer.body().path("ticket").asString()).ready();
             SseClient admin = SseClient.open(port, ApiClient.ADMIN).ready()) {
            assertThat(viewer.status()).isEqualTo(200);
            assertThat(admin.status()).isEqualTo(200);
        }
    }

    @Test
    void aTicketOpensOneStreamOnly() {
        String ticket = SseClient.ticket(port, ApiClient.VIEWER);
        try (SseClient first = SseClient.withQuery(port, "ticket=" + ticket).ready();
             SseClient again = SseClient.withQuery(port, "ticket=" + ticket)) {
            assertThat(again.status()).isEqualTo(401);
        }
    }

    @Test
    void refusesATokenInTheUrlAndAnythingButATicket() {
        for (String query : new String[] {"access_token=" + ApiClient.ADMIN, "ticket=" + ApiClient.ADMIN,
                "ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ""}) {
            try (SseClient refused = SseClient.withQuery(port, query)) {
                assertThat(refused.status()).as(query).isEqualTo(401);
            }
        }
        assertThat(api.get("/api/v1/controller/organizations?access_token=" + ApiClient.ADMIN, null).status()).isEqualTo(401);
    }

    @Test
    void onlyABearerTokenGetsATicket() {
        assertThat(api.post("/api/v1/events/tickets", null, null).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/events/tickets", "nope", null).status()).isEqualTo(401);
        String ticket = SseClient.ticket(port, ApiClient.VIEWER);
        assertThat(api.post("/api/v1/events/tickets", ticket, null).status()).isEqualTo(401);
    }

    @Test
    void aStreamEndsWhenTheJwtThatOpenedItExpires() {
        String jwt = TestIssuer.jwt("carol", "viewer", Duration.ofSeconds(3));
        String spare = SseClient.ticket(port, jwt);
        try (SseClient stream = SseClient.open(port, jwt).ready()) {
            assertThat(stream.endsWithin(Duration.ofSeconds(6))).isTrue();
        }
        try (SseClient late = SseClient.withQuery(port, "ticket=" + spare)) {
            assertThat(late.status()).isEqualTo(401);
        }
    }

    @Test
    void aStreamEndsAtItsMaximumAge() {
        try (SseClient stream = SseClient.open(port, ApiClient.VIEWER).ready()) {
            assertThat(stream.endsWithin(Duration.ofSeconds(4))).isFalse();
            assertThat(stream.endsWithin(Duration.ofSeconds(8))).isTrue();
        }
    }
}
