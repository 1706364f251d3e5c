package ai.moolai.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import ai.moolai.testsupport.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class LivenessStreamApplicationTest {

    @LocalServerPort
    private int port;

    @Test
    void reportsReadyOnItsReadinessProbe() throws Exception {
        HttpResponse<String> response = Http.get(port, "/actuator/health/readiness");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }
}
