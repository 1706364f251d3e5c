package ai.moolai.service.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** On the management port anyone reaches liveness and readiness, the token's holder everything, nobody else anything more. */
class ManagementAccessTest {

    private static final String TOKEN = "a-management-token-of-32-characters";

    @Test
    void livenessAndReadinessAnswerWithoutACredential() throws Exception {
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            Passage passage = request(TOKEN, probe, null);
            assertThat(passage.through()).as(probe).isNotNull();
            assertThat(passage.through().getUserPrincipal()).as("status only: no principal, no details").isNull();
        }
    }

    @Test
    void everythingElseIsRefusedWithoutTheManagementToken() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/health",
                "/actuator/health/consumers", "/actuator/info", "/actuator"}) {
            for (String authorization : new String[] {null, "Bearer not-the-management-token-but-as-long-as-it",
                    "Basic " + TOKEN, TOKEN}) {
                Passage passage = request(TOKEN, path, authorization);
                assertThat(passage.through()).as("%s with %s", path, authorization).isNull();
                assertThat(passage.response().getStatus()).isEqualTo(401);
                assertThat(passage.response().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
                assertThat(passage.response().getContentType()).isEqualTo("application/problem+json");
                assertThat(passage.response().getContentAsString()).contains("\"status\":401", "\"instance\":\"" + path + "\"");
            }
        }
    }

    @Test
    void theTokensHolderReachesEverythingAndSeesDetails() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health", "/actuator/health/readiness"}) {
            Passage passage = request(TOKEN, path, "Bearer " + TOKEN);
            assertThat(passage.through()).as(path).isNotNull();
            assertThat(passage.through().getUserPrincipal()).as("a principal, for health's details").isNotNull();
        }
        assertThat(request(TOKEN, "/actuator/prometheus", "bearer " + TOKEN).through()).isNotNull();
    }

    @Test
    void withoutAConfiguredTokenNobodyGetsMoreThanTheProbes() throws Exception {
        String none = new ManagementAccessProperties("  ").token();
        assertThat(request(none, "/actuator/prometheus", "Bearer ").response().getStatus()).isEqualTo(401);
        assertThat(request(none, "/actuator/prometheus", "Bearer " + TOKEN).response().getStatus()).isEqualTo(401);
        assertThat(request(none, "/actuator/health/readiness", null).through()).isNotNull();
    }

    @Test
    void aPathThatOnlyLooksLikeAProbeIsNotOpen() throws Exception {
        for (String path : new String[] {"/actuator/health/readiness/../../prometheus", "/actuator/health/liveness;x",
                "/actuator/health/readinessx", "/actuator/health/liveness/"}) {
            assertThat(request(TOKEN, path, null).response().getStatus()).as(path).isEqualTo(401);
        }
    }

    @Test
    void refusesATokenShorterThan32Characters() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ManagementAccessProperties("short"))
                .withMessageContaining("MANAGEMENT_TOKEN").withMessageContaining("32");
        assertThat(new ManagementAccessProperties(null).token()).isEmpty();
    }

    private record Passage(HttpServletRequest through, MockHttpServletResponse response) {
    }

    private static Passage request(String token, String path, String authorization) throws Exception {
        ManagementAccessFilter filter = new ManagementAccessFilter(new ManagementAccess("/actuator/health", token));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return new Passage((HttpServletRequest) chain.getRequest(), response);
    }
}
