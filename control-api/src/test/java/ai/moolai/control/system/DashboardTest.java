package ai.moolai.control.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import ai.moolai.control.ControlApiTest;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The built dashboard is served at / and at its own routes, beside the API. */
@ControlApiTest
class DashboardTest {

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void dashboard(DynamicPropertyRegistry registry) throws Exception {
        Path dist = Files.createTempDirectory("dist");
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>Mooli</title><div id=root></div>");
        Files.createDirectories(dist.resolve("assets"));
        Files.writeString(dist.resolve("assets/app.js"), "console.log('mooli')");
        registry.add("spring.web.resources.static-locations", () -> "file:" + dist + "/");
        registry.add("controller.dashboard.index", () -> "file:" + dist.resolve("index.html"));
    }

    @Test
    void servesTheDashboardItsAssetsAndItsDeepLinks() {
        ApiClient api = new ApiClient(port);
        for (String path : new String[] {"/", "/orchestrators", "/orchestrators/orch-001"}) {
            var page = api.send("GET", path, null, null);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).as(path)
                    .hasValueSatisfying(type -> assertThat(type).contains("text/html"));
        }
        assertThat(api.send("GET", "/assets/app.js", null, null).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/controller/nothing-here", ApiClient.ADMIN).status()).isEqualTo(404);
    }
}
