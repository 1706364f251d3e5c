package ai.moolai.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The tests' own JWT issuer: an RSA key made for the run, its public key handed to control-api as a
 * PEM file, and tokens signed with it whose claims a test can spoil one at a time.
 */
public final class TestIssuer {

    public static final String ISSUER = "https://issuer.test/mooli";
    public static final String AUDIENCE = "mooli-controller";

    private static final KeyPair KEYS = keys();
    /** Where the public key is, as {@code spring.security.oauth2.resourceserver.jwt.public-key-location} takes it. */
    public static final String PUBLIC_KEY_LOCATION = "file:" + publicKeyPem();

    private TestIssuer() {
    }

    /** Makes control-api accept this issuer's tokens for {@link #AUDIENCE}. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> PUBLIC_KEY_LOCATION);
        registry.add("controller.security.jwt-issuer", () -> ISSUER);
        registry.add("controller.security.jwt-audience", () -> AUDIENCE);
    }

    /** The claims of a good token: this issuer, control-api's audience, the role under its claim, a minute to live. */
    public static JWTClaimsSet.Builder claims(String subject, String role) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("mooli_roles", List.of(role))
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(1))));
    }

    public static String sign(JWTClaimsSet.Builder claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) KEYS.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A good token for this subject and role that expires after {@code validFor} (to the second). */
    public static String jwt(String subject, String role, Duration validFor) {
        return sign(claims(subject, role).expirationTime(Date.from(Instant.now().plus(validFor))));
    }

    private static Path publicKeyPem() {
        try {
            Path pem = Files.createTempFile("issuer", ".pem");
            pem.toFile().deleteOnExit();
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            return pem;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
