package ai.moolai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void tokensAreRandomAndHashedToTheSchemasForm() {
        String token = Credentials.newToken();

        assertThat(token).matches("mo_[A-Za-z0-9_-]{43}").isNotEqualTo(Credentials.newToken());
        assertThat(Credentials.hash(token)).matches("sha256:[0-9a-f]{64}").isEqualTo(Credentials.hash(token));
        assertThat(Credentials.hash("test")).isEqualTo("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }

    @Test
    void readsBearerHeaders() {
        assertThat(Credentials.bearerToken("Bearer mo_abc")).isEqualTo("mo_abc");
        assertThat(Credentials.bearerToken("bearer  mo_abc ")).isEqualTo("mo_abc");
        assertThat(Credentials.bearerToken("Basic dXNlcg==")).isNull();
        assertThat(Credentials.bearerToken("Bearer ")).isNull();
        assertThat(Credentials.bearerToken(null)).isNull();
    }
}
