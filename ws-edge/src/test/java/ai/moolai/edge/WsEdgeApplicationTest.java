package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import ai.moolai.testsupport.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The edge's management: none on the internet-facing port; on the management port, liveness and
 * readiness for anyone, status only, and health's details and the metrics for the management token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class WsEdgeApplicationTest {

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Test
    void reportsReadyOnItsReadinessProbe() throws Exception {
        HttpResponse<String> response = Http.get(managementPort, "/actuator/health/readiness");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(Http.get(managementPort, "/actuator/health/liveness").body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void servesNoManagementOnThePublicPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health", "/actuator/health/readiness",
                "/actuator/metrics", "/actuator", "/livez", "/readyz"}) {
            assertThat(Http.get(port, path, Http.MANAGEMENT_TOKEN).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void keepsHealthDetailsAndMetricsForTheManagementToken() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/health", "/actuator"}) {
            assertThat(Http.get(managementPort, path).statusCode()).as(path).isEqualTo(401);
            assertThat(Http.get(managementPort, path, "not-the-management-token-though-long-enough").statusCode())
                    .as(path).isEqualTo(401);
        }

        HttpResponse<String> metrics = Http.get(managementPort, "/actuator/prometheus", Http.MANAGEMENT_TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("edge_sessions_open");
        assertThat(Http.get(managementPort, "/actuator/health/readiness", Http.MANAGEMENT_TOKEN).body())
                .contains("\"desiredStateView\"", "\"consumers\"");
    }
}
