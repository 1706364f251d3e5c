package ai.moolai.control.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.moolai.control.ControlApiTest;
import ai.moolai.testsupport.ApiClient;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The OpenAPI document and Swagger UI are off unless {@code API_DOCS_ENABLED=true}; the document is
 * the one checked in as {@code docs/admin-api.openapi.json}, which a change of the API updates on
 * purpose.
 */
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

        @Test
        void servesTheDocumentCheckedIn() throws IOException {
            ObjectNode document = (ObjectNode) new ApiClient(port).get("/v3/api-docs", null).body();
            document.remove("servers");
            String served = CANONICAL.writeValueAsString(CANONICAL.treeToValue(document, Object.class)) + "\n";
            Path checkedIn = Path.of("..", "docs", "admin-api.openapi.json");
            Path actual = Path.of("target", "admin-api.openapi.json");
            Files.writeString(actual, served);
            assertThat(served)
                    .as("the admin API changed; if on purpose: cp control-api/%s docs/admin-api.openapi.json", actual)
                    .isEqualTo(Files.exists(checkedIn) ? Files.readString(checkedIn) : "");
        }
    }

    /** Keys sorted and indented, so that the checked-in copy reads and diffs well. */
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, SerializationFeature.INDENT_OUTPUT).build();
}
