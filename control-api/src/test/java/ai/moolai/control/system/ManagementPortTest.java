package ai.moolai.control.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import ai.moolai.control.ControlApiTest;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * control-api's management: none on the API's port; on the management port, liveness and
 * readiness for anyone, status only, and the rest for the management token alone (not the API's
 * tokens, which the API's security never applies there).
 */
@ControlApiTest
class ManagementPortTest {

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Test
    void servesNoManagementOnTheApiPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health", "/actuator/health/readiness",
                "/actuator/metrics", "/livez", "/readyz"}) {
            assertThat(Http.get(port, path, ApiClient.ADMIN).statusCode()).as(path).isEqualTo(404);
            assertThat(Http.get(port, path, Http.MANAGEMENT_TOKEN).statusCode()).as(path).isIn(401, 404);
        }
    }

    @Test
    void answersLivenessAndReadinessToAnyoneWithTheirStatusOnly() throws Exception {
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            HttpResponse<String> response = Http.get(managementPort, probe);
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).as(probe).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void keepsHealthDetailsAndMetricsForTheManagementTokenAlone() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/health", "/actuator/info"}) {
            assertThat(Http.get(managementPort, path).statusCode()).as(path).isEqualTo(401);
            assertThat(Http.get(managementPort, path, ApiClient.ADMIN).statusCode()).as("%s with the admin token", path)
                    .isEqualTo(401);
        }

        HttpResponse<String> metrics = Http.get(managementPort, "/actuator/prometheus", Http.MANAGEMENT_TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("controller_sse_subscribers");
        HttpResponse<String> health = Http.get(managementPort, "/actuator/health", Http.MANAGEMENT_TOKEN);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"db\"", "\"consumers\"");
    }
}
