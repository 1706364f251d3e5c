package ai.moolai.control.system;

import java.time.Instant;

import ai.moolai.protocol.Credentials;
import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * The credential a caller signed in with, as an event stream remembers it, so the stream ends
 * when the credential does.
 *
 * @param subject         whom it names
 * @param role            what it allows
 * @param expiresAt       a JWT's {@code exp}; {@code null} for a static token, which does not expire
 * @param staticTokenHash a static token's hash, so it counts as revoked once it is no longer
 *                        configured; {@code null} for a JWT
 */
public record Credential(String subject, Role role, Instant expiresAt, String staticTokenHash)
        implements AuthenticatedPrincipal {

    static Credential of(ApiSecurityProperties.StaticToken token) {
        return new Credential(token.subject(), token.role(), null, Credentials.hash(token.token()));
    }

    /** Whether it has expired by {@code now}. */
    boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public String getName() {
        return subject;
    }

    /** Names the credential without its hash. */
    @Override
    public String toString() {
        return "Credential[" + subject + ", " + role + (expiresAt == null ? "" : ", until " + expiresAt) + "]";
    }
}
