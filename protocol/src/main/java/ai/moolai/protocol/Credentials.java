package ai.moolai.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Orchestrator tokens: random, shown once, stored and transported only as a hash. A token has 256
 * random bits, so an unsalted SHA-256 is as strong as the token itself and lets an edge find the
 * orchestrator by the hash of what it is shown.
 */
public final class Credentials {

    private static final String PREFIX = "sha256:";
    private static final String TOKEN_PREFIX = "mo_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    /** A new random token, {@code mo_} and 43 URL-safe characters. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The stored form of a token: {@code sha256:<64 hex digits>}. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * A short, shareable form of a stored hash ({@code sha256:<hex>}): its first 12 hex digits, in
     * groups of four ({@code 9f86-d081-884c}), for a person to compare what an agent logs with what
     * the dashboard shows. It reveals nothing of the token.
     */
    public static String fingerprint(String hash) {
        String hex = hash.substring(PREFIX.length(), PREFIX.length() + 12);
        return hex.substring(0, 4) + "-" + hex.substring(4, 8) + "-" + hex.substring(8, 12);
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or {@code null}. */
    public static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
