package ai.moolai.control.system;

/**
 * The admin API's credentials, as configured, would leave it open to a guessable token, to tokens
 * meant for another application, or to nobody at all, so control-api does not start. The message
 * says what to set.
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

    /** JWTs are accepted but nothing says they must be meant for control-api. */
    static CredentialsRefused noJwtAudience() {
        return new CredentialsRefused("JWTs are accepted (spring.security.oauth2.resourceserver.jwt.*) but no audience "
                + "is set: set controller.security.jwt-audience to the audience (`aud`) your issuer gives control-api's "
                + "tokens, so that tokens it issues for other applications are refused.");
    }

    /** JWTs are accepted from a JWK set or a public key, which do not say whose tokens they sign. */
    static CredentialsRefused noJwtIssuer() {
        return new CredentialsRefused("JWTs are accepted by a JWK set or public key but no issuer is set: set "
                + "controller.security.jwt-issuer to the issuer (`iss`) of the tokens control-api should accept.");
    }

    /** The configured issuer is not the issuer URI, which every token's {@code iss} is checked against too. */
    static CredentialsRefused jwtIssuerContradicts(String issuer, String issuerUri) {
        return new CredentialsRefused("controller.security.jwt-issuer (" + issuer + ") is not "
                + "spring.security.oauth2.resourceserver.jwt.issuer-uri (" + issuerUri + "), so no token could name "
                + "both: leave jwt-issuer unset or set it to the issuer URI.");
    }
}
