package ai.moolai.control.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.moolai.protocol.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The static bearer tokens of the admin API, looked up by hash (so lookups do not compare the
 * secrets character by character).
 */
@Component
class ApiTokens {

    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);

    private final Map<String, ApiSecurityProperties.StaticToken> byHash = new HashMap<>();

    ApiTokens(ApiSecurityProperties properties) {
        properties.tokens().forEach(this::add);
        if (properties.viewerToken() != null && !properties.viewerToken().isBlank()) {
            add(new ApiSecurityProperties.StaticToken(properties.viewerToken(), "viewer", Role.VIEWER));
        }
        if (properties.devBearerToken() != null && !properties.devBearerToken().isBlank()) {
            add(new ApiSecurityProperties.StaticToken(properties.devBearerToken(), "dev", Role.ADMIN));
            if (ApiSecurityProperties.DEFAULT_DEV_TOKEN.equals(properties.devBearerToken())) {
                log.warn("The admin API accepts the default development token '{}'. Set DEV_BEARER_TOKEN "
                        + "(or an OIDC issuer) before exposing it.", ApiSecurityProperties.DEFAULT_DEV_TOKEN);
            }
        }
    }

    Optional<ApiSecurityProperties.StaticToken> find(String token) {
        return Optional.ofNullable(byHash.get(Credentials.hash(token)));
    }

    private void add(ApiSecurityProperties.StaticToken token) {
        byHash.put(Credentials.hash(token.token()), token);
    }

    List<ApiSecurityProperties.StaticToken> all() {
        return List.copyOf(byHash.values());
    }
}
