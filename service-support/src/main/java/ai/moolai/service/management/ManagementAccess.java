package ai.moolai.service.management;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The management port's rule. Liveness and readiness answer anyone, with their status only, because
 * the orchestrator's probes carry no credential. Everything else (health with its details, metrics,
 * Prometheus, info) answers only a caller presenting the management token as
 * {@code Authorization: Bearer}, who also sees the probes' details. Without a configured token
 * nobody gets more than the probes: the port is never published, but a private network is not a
 * credential.
 */
final class ManagementAccess {

    private static final String BEARER = "Bearer ";

    private final Set<String> open;
    private final byte[] token;

    /**
     * @param healthPath the health endpoint's path ({@code /actuator/health}), or null when it is not exposed
     * @param token      the management token, empty for none
     */
    ManagementAccess(String healthPath, String token) {
        this.open = healthPath == null ? Set.of() : Set.of(healthPath + "/liveness", healthPath + "/readiness");
        this.token = token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the path, relative to the management context, answers without a credential. */
    boolean isOpen(String path) {
        return open.contains(path);
    }

    /** Whether an {@code Authorization} header presents the management token. */
    boolean admits(String authorization) {
        if (token == null || authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, presented);
    }
}
