package ai.moolai.control.system;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the admin API, under {@code controller.security.*}. There is no built-in token:
 * control-api starts only with an admin credential of its deployment's own (see {@link CredentialsRefused}).
 * JWTs are accepted when {@code spring.security.oauth2.resourceserver.jwt.*} names an issuer URI, a JWK set
 * or a public key, and then only those of {@link #jwtIssuer()} for {@link #jwtAudience()} (see {@link AcceptedJwts}).
 *
 * @param devBearerToken  the seed's {@code DEV_BEARER_TOKEN}, an admin token (at least 32 characters)
 * @param viewerToken     an optional read-only token ({@code VIEWER_BEARER_TOKEN}, at least 32 characters)
 * @param tokens          further static tokens
 * @param jwtIssuer       the issuer ({@code iss}) every JWT must name: required with a JWK set or a public key;
 *                        with an issuer URI it is that URI
 * @param jwtAudience     the audience ({@code aud}) every JWT must include, required whenever JWTs are accepted:
 *                        without it a token its issuer made for another application would be accepted here
 * @param jwtRolesClaim   the JWT claim holding {@code admin} or {@code viewer}; {@code mooli_roles} by default, not
 *                        the generic {@code roles} that tokens for other applications carry too
 * @param allowedOrigins  origins allowed by CORS ({@code ALLOWED_ORIGINS}, comma separated)
 */
@ConfigurationProperties("controller.security")
public record ApiSecurityProperties(
        String devBearerToken,
        String viewerToken,
        @DefaultValue List<StaticToken> tokens,
        String jwtIssuer,
        String jwtAudience,
        @DefaultValue("mooli_roles") String jwtRolesClaim,
        @DefaultValue("http://localhost:8080,http://localhost:5173") List<String> allowedOrigins) {

    /**
     * One static token.
     *
     * @param token   the secret
     * @param subject who it stands for, as the activity log names them (after {@code token:})
     * @param role    {@code admin} or {@code viewer}
     */
    public record StaticToken(String token, String subject, Role role) {
    }
}
