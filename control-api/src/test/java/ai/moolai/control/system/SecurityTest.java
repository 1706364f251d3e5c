package ai.moolai.control.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import ai.moolai.control.ControlApiTest;
import ai.moolai.testsupport.ApiClient;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** 401 without a valid token, 403 for the wrong role; a viewer changes nothing; JWTs from a configured issuer key work. */
@ControlApiTest
class SecurityTest {

    private static final KeyPair KEYS = keys();

    @LocalServerPort
    private int port;

    private ApiClient api;

    @DynamicPropertySource
    static void jwtKey(DynamicPropertyRegistry registry) throws Exception {
        Path pem = Files.createTempFile("issuer", ".pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + pem);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void refusesAMissingOrUnknownTokenWith401() {
        var missing = api.get("/api/v1/controller/organizations", null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(missing.body().path("status").asInt()).isEqualTo(401);
        assertThat(api.get("/api/v1/controller/organizations", "nope").status()).isEqualTo(401);
        assertThat(api.post("/api/v1/controller/organizations", null, "{\"name\":\"x\"}").status()).isEqualTo(401);
    }

    @Test
    void tellsCallersWhoTheyAre() {
        var admin = api.get("/api/v1/controller/me", ApiClient.ADMIN).body();
        assertThat(admin.path("role").asString()).isEqualTo("ADMIN");
        var viewer = api.get("/api/v1/controller/me", ApiClient.VIEWER).body();
        assertThat(viewer.path("role").asString()).isEqualTo("VIEWER");
        assertThat(viewer.path("subject").asString()).isNotBlank().isNotEqualTo(admin.path("subject").asString());
        assertThat(api.get("/api/v1/controller/me", "nope").status()).isEqualTo(401);
    }

    @Test
    void aViewerReadsEverythingAndChangesNothing() {
        String id = api.createOrchestrator("viewer")[0];
        String instance = "/api/v1/controller/orchestrator-instances/" + id;
        assertThat(api.get(instance, ApiClient.VIEWER).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/controller/activity", ApiClient.VIEWER).status()).isEqualTo(200);

        List<ApiClient.Response> attempts = List.of(
                api.post("/api/v1/controller/organizations", ApiClient.VIEWER, "{\"name\":\"Viewer Org\"}"),
                api.put(instance, ApiClient.VIEWER, "{\"name\":\"x\"}"),
                api.delete(instance, ApiClient.VIEWER),
                api.post(instance + "/credentials", ApiClient.VIEWER, null),
                api.put("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.VIEWER, "{\"is_independent\":true}"),
                api.post("/api/v1/controller/recommendations/1/decision", ApiClient.VIEWER, "{\"decision\":\"ACCEPTED\"}"));
        assertThat(attempts).extracting(ApiClient.Response::status).containsOnly(403);
        assertThat(api.get(instance, ApiClient.VIEWER).body().path("desiredVersion").asLong()).isEqualTo(1);
    }

    @Test
    void acceptsJwtsWithTheirRoles() throws Exception {
        String viewer = jwt("carol", "viewer");
        String admin = jwt("alice", "admin");

        assertThat(api.get("/api/v1/controller/organizations", viewer).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/controller/organizations", viewer, "{\"name\":\"JWT Viewer Org\"}").status()).isEqualTo(403);
        var created = api.post("/api/v1/controller/organizations", admin, "{\"name\":\"JWT Admin Org " + System.nanoTime() + "\"}");
        assertThat(created.status()).isEqualTo(201);
        var log = api.get("/api/v1/controller/activity?targetId=" + created.body().path("organizationId").asString(), viewer);
        assertThat(log.body().path("items").get(0).path("actor").asString()).isEqualTo("alice");
        assertThat(api.get("/api/v1/controller/organizations", jwt("mallory", "root")).status()).isEqualTo(403);
    }

    private static String jwt(String subject, String role) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .subject(subject).claim("roles", List.of(role)).expirationTime(new Date(System.currentTimeMillis() + 60_000))
                .build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) KEYS.getPrivate()));
        return jwt.serialize();
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
