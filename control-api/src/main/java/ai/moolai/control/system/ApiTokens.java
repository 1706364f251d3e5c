package ai.moolai.control.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.moolai.protocol.Credentials;
import org.springframework.stereotype.Component;

/**
 * The static bearer tokens of the admin API, looked up by hash (so lookups do not compare the
 * secrets character by character). Each is at least {@link CredentialsRefused#MINIMUM_TOKEN_LENGTH}
 * characters long, or control-api does not start.
 */
@Component
class ApiTokens {

    private final Map<String, ApiSecurityProperties.StaticToken> byHash = new HashMap<>();

    ApiTokens(ApiSecurityProperties properties) {
        properties.tokens().forEach(token -> add(token, "controller.security.tokens (" + token.subject() + ")"));
        if (isSet(properties.viewerToken())) {
            add(new ApiSecurityProperties.StaticToken(properties.viewerToken(), "viewer", Role.VIEWER), "VIEWER_BEARER_TOKEN");
        }
        if (isSet(properties.devBearerToken())) {
            add(new ApiSecurityProperties.StaticToken(properties.devBearerToken(), "dev", Role.ADMIN), "DEV_BEARER_TOKEN");
        }
    }

    Optional<ApiSecurityProperties.StaticToken> find(String token) {
        return Optional.ofNullable(byHash.get(Credentials.hash(token)));
    }

    /** Whether a static token's credential is still configured, for the same subject and role. */
    boolean honours(Credential credential) {
        var token = byHash.get(credential.staticTokenHash());
        return token != null && token.role() == credential.role() && token.subject().equals(credential.subject());
    }

    /** Whether some static token has the admin role. */
    boolean admitsAnAdmin() {
        return byHash.values().stream().anyMatch(token -> token.role() == Role.ADMIN);
    }

    private void add(ApiSecurityProperties.StaticToken token, String setting) {
        if (token.token() == null || token.token().length() < CredentialsRefused.MINIMUM_TOKEN_LENGTH) {
            throw CredentialsRefused.tooShort(setting);
        }
        byHash.put(Credentials.hash(token.token()), token);
    }

    List<ApiSecurityProperties.StaticToken> all() {
        return List.copyOf(byHash.values());
    }

    private static boolean isSet(String token) {
        return token != null && !token.isBlank();
    }
}
