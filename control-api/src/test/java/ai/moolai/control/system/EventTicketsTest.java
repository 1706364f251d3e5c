package ai.moolai.control.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import ai.moolai.testsupport.HandClock;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Tickets open one stream each, for 30 s at most, at any replica sharing the key; the clock moved by hand. */
class EventTicketsTest {

    private static final String KEY = "a-shared-event-ticket-key-of-32-characters-or-more";
    private static final String ADMIN_TOKEN = "an-admin-token-of-at-least-32-characters";
    private static final String VIEWER_TOKEN = "a-viewer-token-of-at-least-32-characters";

    private final HandClock clock = new HandClock(Instant.parse("2026-11-29T10:00:00Z"));

    private final ApiTokens tokens = tokens(ADMIN_TOKEN, VIEWER_TOKEN);
    private final EventTickets tickets = replica(KEY, tokens);

    @Test
    void opensOneStreamPerTicketForTheCredentialThatAskedForIt() {
        String ticket = tickets.issue(staticToken(VIEWER_TOKEN)).ticket();

        Credential credential = tickets.redeem(ticket).orElseThrow();
        assertThat(credential.subject()).isEqualTo("viewer");
        assertThat(credential.role()).isEqualTo(Role.VIEWER);
        assertThat(credential.expiresAt()).isNull();
        assertThat(tickets.redeem(ticket)).isEmpty();
    }

    @Test
    void expiresThirtySecondsAfterItWasIssued() {
        EventTickets.Ticket ticket = tickets.issue(staticToken(ADMIN_TOKEN));
        assertThat(ticket.expiresAt()).isEqualTo(clock.instant().plusSeconds(30));

        clock.advance(Duration.ofSeconds(30));
        assertThat(tickets.redeem(ticket.ticket())).isEmpty();
    }

    @Test
    void expiresWithTheJwtThatAskedForItAndTheStreamRemembersThatExpiry() {
        Instant jwtExpires = clock.instant().plusSeconds(10);
        EventTickets.Ticket ticket = tickets.issue(jwt("alice", "ROLE_ADMIN", jwtExpires));
        assertThat(ticket.expiresAt()).isEqualTo(jwtExpires);

        Credential credential = tickets.redeem(ticket.ticket()).orElseThrow();
        assertThat(credential).extracting(Credential::subject, Credential::role, Credential::expiresAt)
                .containsExactly("alice", Role.ADMIN, jwtExpires);
        assertThat(tickets.honours(credential)).isTrue();
        clock.moveTo(jwtExpires);
        assertThat(tickets.honours(credential)).isFalse();

        String late = tickets.issue(jwt("alice", "ROLE_ADMIN", jwtExpires)).ticket();
        assertThat(tickets.redeem(late)).isEmpty();
    }

    @Test
    void anotherReplicaWithTheSameKeyOpensTheStreamOnItsOwnConfiguration() {
        String ticket = tickets.issue(staticToken(ADMIN_TOKEN)).ticket();
        assertThat(replica(KEY, tokens(ADMIN_TOKEN, VIEWER_TOKEN)).redeem(ticket)).isPresent();

        String revoked = tickets.issue(staticToken(VIEWER_TOKEN)).ticket();
        EventTickets withoutTheViewer = replica(KEY, tokens(ADMIN_TOKEN, null));
        assertThat(withoutTheViewer.redeem(revoked)).isEmpty();
        assertThat(withoutTheViewer.honours(tickets.redeem(revoked).orElseThrow())).isFalse();
    }

    @Test
    void refusesATicketSealedWithAnotherKeyOrTamperedWith() {
        String ticket = tickets.issue(staticToken(ADMIN_TOKEN)).ticket();
        assertThat(replica(null, tokens).redeem(ticket)).isEmpty();
        assertThat(replica("another-event-ticket-key-of-32-characters", tokens).redeem(ticket)).isEmpty();

        char last = ticket.charAt(ticket.length() - 2);
        assertThat(tickets.redeem(ticket.substring(0, ticket.length() - 2) + (last == 'A' ? 'B' : 'A') + ticket.charAt(ticket.length() - 1)))
                .isEmpty();
        assertThat(tickets.redeem("not a ticket")).isEmpty();
        assertThat(tickets.redeem(ticket)).isPresent();
    }

    @Test
    void revealsNeitherWhoAskedNorTheirRole() {
        String ticket = tickets.issue(jwt("alice@example.com", "ROLE_ADMIN", clock.instant().plusSeconds(600))).ticket();
        String bytes = new String(Base64.getUrlDecoder().decode(ticket), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("alice", "ADMIN");
    }

    @Test
    void remembersAtMostSoManyUsedTicketsAndRefusesMoreUntilSomeExpire() {
        for (int i = 0; i < EventTickets.MAX_SPENT; i++) {
            assertThat(tickets.redeem(tickets.issue(staticToken(VIEWER_TOKEN)).ticket())).isPresent();
        }
        String oneTooMany = tickets.issue(staticToken(VIEWER_TOKEN)).ticket();
        assertThat(tickets.redeem(oneTooMany)).isEmpty();

        clock.advance(Duration.ofSeconds(30));
        assertThat(tickets.redeem(tickets.issue(staticToken(VIEWER_TOKEN)).ticket())).isPresent();
    }

    @Test
    void refusesToStartWithAShortKey() {
        assertThatThrownBy(() -> replica("short", tokens))
                .isInstanceOf(CredentialsRefused.class)
                .hasMessageContaining("EVENT_TICKET_KEY");
    }

    private EventTickets replica(String key, ApiTokens configured) {
        return new EventTickets(new EventStreamProperties(key, Duration.ofMinutes(30)), configured, clock);
    }

    private static ApiTokens tokens(String admin, String viewer) {
        return new ApiTokens(new ApiSecurityProperties(admin, viewer, List.of(), null, null, "mooli_roles", List.of()));
    }

    /** As {@link SecurityConfig} authenticates a static token. */
    private Authentication staticToken(String token) {
        var known = tokens.find(token).orElseThrow();
        var authenticated = UsernamePasswordAuthenticationToken.authenticated(known.subject(), null,
                List.of(known.role().authority()));
        authenticated.setDetails(Credential.of(known));
        return authenticated;
    }

    private Authentication jwt(String subject, String authority, Instant expiresAt) {
        Jwt jwt = Jwt.withTokenValue("jwt").header("alg", "RS256").subject(subject)
                .issuedAt(expiresAt.minusSeconds(600)).expiresAt(expiresAt).build();
        return new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority(authority)));
    }
}
