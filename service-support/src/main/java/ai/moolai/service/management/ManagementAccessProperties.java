package ai.moolai.service.management;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may use the management port beyond liveness and readiness.
 *
 * @param token the bearer token for health details, metrics and Prometheus ({@code MANAGEMENT_TOKEN}), at least
 *              32 characters; without one, nobody gets more than the two probes
 */
@ConfigurationProperties("management-access")
public record ManagementAccessProperties(String token) {

    static final int MIN_TOKEN_LENGTH = 32;

    public ManagementAccessProperties {
        token = token == null || token.isBlank() ? "" : token;
        if (!token.isEmpty() && token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("the management token (MANAGEMENT_TOKEN) must have at least "
                    + MIN_TOKEN_LENGTH + " characters, e.g. openssl rand -hex 32");
        }
    }
}
