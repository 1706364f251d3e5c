package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile, read as Docker would (YAML merge keys included) and
 * checked against the modules themselves: no Docker engine is needed to keep them correct.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws Exception {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @Test
    void runsTheBrokerTheDatabaseAndEveryService() {
        assertThat(services).containsOnlyKeys("kafka", "postgres", "control-api", "liveness-stream", "report-ingest", "ws-edge");
        assertThat(ports("control-api")).contains("8080:8080");
        assertThat(ports("ws-edge")).contains("8765:8765");
        assertThat(ports("kafka")).contains("9092:29092");
        assertThat(ports("postgres")).contains("5432:5432");
        assertThat(services.get("kafka").get("image").toString()).startsWith("apache/kafka:");
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachServiceIsBuiltFromItsModuleAndProbedOnItsOwnReadinessPort() throws Exception {
        for (String service : DevStack.SERVICES) {
            Map<String, Object> definition = services.get(service);
            Map<String, Object> build = (Map<String, Object>) definition.get("build");
            assertThat(((Map<String, Object>) build.get("args")).get("MODULE")).isEqualTo(service);
            assertThat(ROOT.resolve(service).resolve("pom.xml")).exists();

            String probe = String.join(" ", (List<String>) ((Map<String, Object>) definition.get("healthcheck")).get("test"));
            assertThat(probe).contains("http://localhost:" + serverPort(service) + "/actuator/health/readiness");
            assertThat(serverPort(service)).isEqualTo(DevStack.Ports.DEFAULT.of(service));

            Map<String, Object> environment = (Map<String, Object>) definition.get("environment");
            assertThat(environment).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                    .containsEntry("JDBC_DATABASE_URL", "jdbc:postgresql://postgres:5432/moolai_controller");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesStartOnlyOnceWhatTheyNeedIsHealthy() {
        assertThat(services.get("kafka")).containsKey("healthcheck");
        assertThat(services.get("postgres")).containsKey("healthcheck");
        for (String service : DevStack.SERVICES) {
            Map<String, Map<String, String>> dependencies =
                    (Map<String, Map<String, String>>) services.get(service).get("depends_on");
            assertThat(dependencies).as(service).containsKeys("kafka", "postgres");
            dependencies.values().forEach(condition -> assertThat(condition).containsEntry("condition", "service_healthy"));
        }
        assertThat(((Map<String, Object>) services.get("ws-edge").get("depends_on"))).containsKeys("control-api", "liveness-stream");
    }

    @Test
    void theImageIsMultiStageRunsWithoutPrivilegesAndSizesTheJvmToTheContainer() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(Pattern.compile("^FROM ", Pattern.MULTILINE).matcher(dockerfile).results().map(MatchResult::group))
                .hasSize(3);
        assertThat(dockerfile).containsPattern("(?m)^USER mooli$").contains("MaxRAMPercentage");
        assertThat(dockerfile).as("the dashboard is built and served from the image")
                .contains("RUN npm run build", "COPY --from=ui /ui/dist /app/frontend", "FRONTEND_DIST=/app/frontend/");
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (modules.find()) {
            assertThat(dockerfile).as("the build stage copies every module").contains("COPY " + modules.group(1) + " ");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> ports(String service) {
        return (List<String>) services.get(service).get("ports");
    }

    private static int serverPort(String module) throws Exception {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(module).resolve("src/main/resources/application.yml"))) {
            Map<String, Object> yaml = new Yaml().load(reader);
            @SuppressWarnings("unchecked")
            Map<String, Object> server = (Map<String, Object>) yaml.get("server");
            return (Integer) server.get("port");
        }
    }
}
