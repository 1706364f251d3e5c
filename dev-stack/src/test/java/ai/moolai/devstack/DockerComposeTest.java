package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile, read as Docker would (YAML merge keys included) and
 * checked against the modules themselves: no Docker engine is needed to keep them correct. They
 * publish only the API and the edge, never a management port, and take every secret from the
 * user's {@code .env}.
 */
class DockerComposeTest {

    private static final Path ROOT = ServiceConfiguration.ROOT;
    /** An image pinned to a release: {@code name:15.10}, {@code name:17.0.13_11-jre}, never {@code name:17} or {@code name:latest}. */
    private static final Pattern PINNED = Pattern.compile("[a-z0-9./-]+:[0-9]+\\.[0-9]+([._][0-9]+)*(-[a-z0-9.-]+)?");
    /** Compose's {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?message}} and the like. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?([^}]*)}");
    /** A name that holds a secret: {@code DATABASE_PASSWORD}, {@code DEV_BEARER_TOKEN}, not {@code EDGE_MAX_CONNECTIONS}. */
    private static final Pattern SECRET = Pattern.compile("(PASSWORD|TOKEN|SECRET)\\b");
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
        assertThat(services.get("kafka").get("image").toString()).startsWith("apache/kafka:");
    }

    @Test
    @SuppressWarnings("unchecked")
    void publishesOnlyTheApiAndTheEdgeWhileKafkaAndPostgresStayOnTheInternalNetwork() {
        Map<String, Object> published = new TreeMap<>();
        services.forEach((name, definition) -> {
            if (definition.containsKey("ports")) {
                published.put(name, definition.get("ports"));
            }
            assertThat(definition).as(name).doesNotContainKey("network_mode");
        });
        assertThat(published).isEqualTo(Map.of("control-api", List.of("8080:8080"), "ws-edge", List.of("8765:8765")));
        for (String service : DevStack.SERVICES) {
            assertThat(services.get(service)).as("%s's management port stays unpublished", service)
                    .doesNotContainKey("expose").doesNotContainKey("network_mode");
            assertThat(environment(service)).as("%s keeps the management port its probe uses", service)
                    .doesNotContainKeys("MANAGEMENT_PORT", "MANAGEMENT_SERVER_PORT");
        }
        Map<String, Object> kafka = (Map<String, Object>) services.get("kafka").get("environment");
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS").toString()).isEqualTo("PLAINTEXT://kafka:9092");
        assertThat(kafka.get("KAFKA_LOG_DIRS")).as("the broker keeps its data in its volume").isEqualTo("/var/lib/kafka/data");
        assertThat((List<String>) services.get("kafka").get("volumes")).containsExactly("kafka-data:/var/lib/kafka/data");
    }

    @Test
    @SuppressWarnings("unchecked")
    void requiresEverySecretFromTheEnvironmentAndDefaultsNone() throws Exception {
        List<MatchResult> secrets = INTERPOLATION.matcher(Files.readString(ROOT.resolve("docker-compose.yml"))).results()
                .filter(variable -> SECRET.matcher(variable.group(1)).find()).toList();
        assertThat(secrets).isNotEmpty().allSatisfy(variable -> assertThat(variable.group(2))
                .as("%s is required (${NAME:?message}), never defaulted", variable.group()).isEqualTo(":?"));
        services.forEach((name, definition) -> ((Map<String, Object>) definition.get("environment")).forEach(
                (variable, value) -> {
                    if (SECRET.matcher(variable).find()) {
                        assertThat(INTERPOLATION.matcher(value.toString()).matches())
                                .as("%s of %s comes from the environment, not the file", variable, name).isTrue();
                    }
                }));
        assertThat(required()).containsExactlyInAnyOrder("DEV_BEARER_TOKEN", "DATABASE_PASSWORD", "MANAGEMENT_TOKEN");
        assertThat(environment("control-api").get("DEV_BEARER_TOKEN").toString()).startsWith("${DEV_BEARER_TOKEN:?");
        assertThat(environment("postgres").get("POSTGRES_PASSWORD").toString()).startsWith("${DATABASE_PASSWORD:?");
        for (String service : DevStack.SERVICES) {
            assertThat(environment(service).get("DATABASE_PASSWORD").toString()).startsWith("${DATABASE_PASSWORD:?");
            assertThat(environment(service).get("MANAGEMENT_TOKEN").toString()).startsWith("${MANAGEMENT_TOKEN:?");
        }
    }

    @Test
    void anExampleEnvFileNamesEveryRequiredVariableAndTheRealOneIsNeitherCommittedNorCopiedIntoImages() throws Exception {
        Map<String, String> example = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] assignment = line.split("=", 2);
                example.put(assignment[0].strip(), assignment.length > 1 ? assignment[1].strip() : "");
            }
        }
        assertThat(required()).isNotEmpty();
        assertThat(example).containsKeys(required().toArray(String[]::new));
        required().forEach(variable -> assertThat(example.get(variable))
                .as("%s is left for the user to fill: an unfilled copy stops compose", variable).isEmpty());
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains(".env");
    }

    @Test
    void noShippedFileHoldsADefaultSecret() throws Exception {
        assertThat(Files.readString(ROOT.resolve("Dockerfile"))).doesNotContainPattern(SECRET);
        for (String service : DevStack.SERVICES) {
            String configuration = Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.yml"));
            ServiceConfiguration.INTERPOLATION_WITH_DEFAULT.matcher(configuration).results()
                    .filter(variable -> SECRET.matcher(variable.group(1)).find())
                    .forEach(variable -> assertThat(variable.group(2)).as("%s in %s", variable.group(), service).isEmpty());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachServiceIsBuiltFromItsModuleAndProbedOnItsManagementPort() throws Exception {
        for (String service : DevStack.SERVICES) {
            Map<String, Object> definition = services.get(service);
            Map<String, Object> build = (Map<String, Object>) definition.get("build");
            assertThat(((Map<String, Object>) build.get("args")).get("MODULE")).isEqualTo(service);
            assertThat(ROOT.resolve(service).resolve("pom.xml")).exists();

            String probe = String.join(" ", (List<String>) ((Map<String, Object>) definition.get("healthcheck")).get("test"));
            assertThat(probe).contains("http://localhost:" + ServiceConfiguration.of(service).managementPort() + "/actuator/health/readiness");
            assertThat(ServiceConfiguration.of(service).serverPort()).isEqualTo(DevStack.Ports.defaults(DevStack.Topology.SINGLE).of(service));
            assertThat(ServiceConfiguration.of(service).managementPort()).isEqualTo(DevStack.Ports.defaults(DevStack.Topology.SINGLE).managementOf(service))
                    .isNotEqualTo(ServiceConfiguration.of(service).serverPort());
            assertThat(String.valueOf(definition.get("ports"))).as("%s does not publish its management port", service)
                    .doesNotContain(String.valueOf(ServiceConfiguration.of(service).managementPort()));

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

    @Test
    void everyImageIsPinnedTheJarIsLayeredAndEachServiceIsGivenLongerToStopThanItsShutdownTakes() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        List<String> bases = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile).results().map(base -> base.group(1)).toList();
        assertThat(bases).hasSize(3).allSatisfy(base -> assertThat(base).matches(PINNED));
        assertThat(bases.get(0)).as("the dashboard is built on a Node LTS release").matches("node:(22|24)\\..*");
        services.forEach((name, definition) -> {
            if (definition.containsKey("image")) {
                assertThat(definition.get("image").toString()).as(name).matches(PINNED);
            }
        });
        // The layers, least often changed first, and the launcher that runs them.
        assertThat(dockerfile).contains("extract --layers --launcher")
                .containsSubsequence("/layers/dependencies/", "/layers/spring-boot-loader/",
                        "/layers/snapshot-dependencies/", "/layers/application/")
                .contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
        for (String service : DevStack.SERVICES) {
            Duration shutdown = ServiceConfiguration.of(service).shutdown();
            Object grace = services.get(service).get("stop_grace_period");
            assertThat(grace).as("%s's stop_grace_period", service).isNotNull();
            assertThat(Duration.parse("PT" + grace.toString().toUpperCase())).as("%s's stop_grace_period", service)
                    .isGreaterThan(shutdown);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String service) {
        return (Map<String, Object>) services.get(service).get("environment");
    }

    /** The variables compose refuses to start without ({@code ${NAME:?message}}). */
    private static Set<String> required() throws Exception {
        return INTERPOLATION.matcher(Files.readString(ROOT.resolve("docker-compose.yml"))).results()
                .filter(variable -> ":?".equals(variable.group(2)))
                .map(variable -> variable.group(1))
                .collect(Collectors.toSet());
    }
}
