package ai.moolai.control.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import ai.moolai.control.ControlApiTest;
import ai.moolai.protocol.Json;
import ai.moolai.testsupport.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The original controller's health URL answers JSON in the original's shape, to anyone, on the public port. */
@ControlApiTest
class ControllerHealthTest {

    @LocalServerPort
    private int port;

    @Autowired
    private BuildProperties build;

    @Test
    void answersTheOriginalHealthShapeWithoutAToken() throws Exception {
        for (String path : new String[] {"/health", "/api/v1/controller/health"}) {
            HttpResponse<String> response = Http.get(port, path);

            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/json"));
            JsonNode health = Json.frames().readTree(response.body());
            assertThat(health.path("status").asString()).isEqualTo("healthy");
            assertThat(health.path("service").asString()).isEqualTo("control-api");
            assertThat(health.path("version").asString()).isEqualTo(build.getVersion()).isNotBlank();
            assertThat(health.path("components").path("database").asString()).isEqualTo("connected");
            assertThat(health.properties()).hasSize(4);
        }
    }

    @Test
    void saysDegradedWhenAnyCheckIsDownAndWhetherTheDatabaseIsConnected() {
        assertThat(ControllerHealthController.ControllerHealth.of(Status.DOWN, Status.DOWN, "1.0"))
                .isEqualTo(new ControllerHealthController.ControllerHealth("degraded", "control-api", "1.0",
                        Map.of("database", "disconnected")));
        assertThat(ControllerHealthController.ControllerHealth.of(Status.OUT_OF_SERVICE, Status.UP, "1.0").status())
                .isEqualTo("degraded");
        assertThat(ControllerHealthController.ControllerHealth.of(Status.UP, Status.UP, "1.0").healthy()).isTrue();
    }
}
