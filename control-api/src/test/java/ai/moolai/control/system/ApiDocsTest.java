package ai.moolai.control.system;

import static org.assertj.core.api.Assertions.assertThat;

import ai.moolai.control.ControlApiTest;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** The OpenAPI document and Swagger UI are off unless {@code API_DOCS_ENABLED=true}. */
@ControlApiTest
class ApiDocsTest {

    @LocalServerPort
    private int port;

    @Test
    void servesNeitherTheDocumentNorSwaggerUiByDefault() {
        ApiClient api = new ApiClient(port);
        for (String path : new String[] {"/v3/api-docs", "/swagger-ui.html", "/swagger-ui/index.html"}) {
            assertThat(api.send("GET", path, null, null).status()).as(path).isEqualTo(404);
            assertThat(api.send("GET", path, ApiClient.ADMIN, null).status()).as(path).isEqualTo(404);
        }
    }

    @Nested
    @TestPropertySource(properties = "API_DOCS_ENABLED=true")
    class WhenEnabled {

        @LocalServerPort
        private int port;

        @Test
        void servesTheOpenApiDocumentAndSwaggerUi() {
            ApiClient api = new ApiClient(port);
            var document = api.get("/v3/api-docs", null);
            assertThat(document.status()).isEqualTo(200);
            assertThat(document.body().path("paths").has("/api/v1/controller/orchestrator-instances")).isTrue();
            assertThat(document.body().path("paths").has("/api/v1/internal/orchestrators/{id}/independence")).isTrue();
            assertThat(api.send("GET", "/swagger-ui/index.html", null, null).status()).isEqualTo(200);
            assertThat(api.send("GET", "/swagger-ui.html", null, null).status()).isIn(200, 302);
        }
    }
}
