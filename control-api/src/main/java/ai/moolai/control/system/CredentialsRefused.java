package ai.moolai.control.system;

/**
 * The admin API's credentials, as configured, would leave it open to a guessable token or to
 * nobody at all, so control-api does not start. The message says what to set.
 */
final class CredentialsRefused extends IllegalStateException {

    /** The shortest static token accepted: 32 characters, as {@code openssl rand -hex 16} gives at least. */
    static final int MINIMUM_TOKEN_LENGTH = 32;

    private static final String HOW = "a random string of at least " + MINIMUM_TOKEN_LENGTH
            + " characters (e.g. `openssl rand -hex 32`)";

    private CredentialsRefused(String message) {
        super(message);
    }

    /** Neither a static admin token nor a JWT issuer or key is configured. */
    static CredentialsRefused noAdminCredential() {
        return new CredentialsRefused("No admin credential: set DEV_BEARER_TOKEN to " + HOW
                + ", or configure a JWT issuer (spring.security.oauth2.resourceserver.jwt.issuer-uri) or JWK set "
                + "(spring.security.oauth2.resourceserver.jwt.jwk-set-uri).");
    }

    /** A static token is too short to be a secret. */
    static CredentialsRefused tooShort(String setting) {
        return new CredentialsRefused(setting + " is shorter than " + MINIMUM_TOKEN_LENGTH + " characters: set it to "
                + HOW + ".");
    }
}
