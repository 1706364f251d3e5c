package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import ai.moolai.process.ChildProcess;
import ai.moolai.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/k8s/}, read as Kubernetes would and checked against the modules, as
 * {@code DockerComposeTest} checks compose: a workload for every service on its own ports, probed on
 * its management port, given longer to stop than its shutdown takes, guarded by a disruption
 * budget; liveness-stream's state on a volume; every credential from the secret, none written down;
 * and the migration job running an entry point that exists.
 */
class KubernetesManifestsTest {

    private static final Path K8S = ServiceConfiguration.ROOT.resolve("deploy/k8s");
    private static final Pattern SECRET = Pattern.compile("(PASSWORD|TOKEN|SECRET|KEY)\\b");
    private static Map<String, Object> kustomization;
    private static List<Map<String, Object>> resources;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        kustomization = documents("kustomization.yaml").get(0);
        resources = new ArrayList<>();
        for (String file : (List<String>) kustomization.get("resources")) {
            resources.addAll(documents(file));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKustomizationTakesEveryFileAndNamesEveryImagesRegistryAndTag() throws IOException {
        Set<String> files;
        try (var listed = Files.list(K8S)) {
            files = listed.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        files.remove("kustomization.yaml");
        assertThat((List<String>) kustomization.get("resources")).containsExactlyInAnyOrderElementsOf(files);
        assertThat(named("mooli", "Namespace")).isNotNull();
        assertThat(kustomization).containsEntry("namespace", "mooli");
        List<Map<String, String>> images = (List<Map<String, String>>) kustomization.get("images");
        assertThat(images).extracting(image -> image.get("name"))
                .containsExactlyInAnyOrderElementsOf(DevStack.SERVICES.stream().map(service -> "mooli/" + service).toList());
        // A registry nobody has, until the operator names theirs: never a public name the project does not own.
        assertThat(images).allSatisfy(image -> assertThat(image.get("newName"))
                .isEqualTo("registry.invalid/" + image.get("name")));
        assertThat(images).allSatisfy(image -> assertThat(image.get("newTag")).isNotBlank());
        assertThat(resources).noneMatch(resource -> "Secret".equals(resource.get("kind")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceRunsOnItsPortsProbedOnItsManagementPortAndStopsGracefully() throws IOException {
        for (String service : DevStack.SERVICES) {
            ServiceConfiguration configuration = ServiceConfiguration.of(service);
            Map<String, Object> workload = named(service, "Deployment", "StatefulSet");
            assertThat(workload.get("kind")).as(service).isEqualTo(
                    Set.of("ws-edge", "liveness-stream").contains(service) ? "StatefulSet" : "Deployment");
            Map<String, Object> spec = (Map<String, Object>) workload.get("spec");
            assertThat((Integer) spec.get("replicas")).as("%s runs twice", service).isGreaterThanOrEqualTo(2);
            Map<String, Object> template = (Map<String, Object>) spec.get("template");
            Map<String, String> labels = (Map<String, String>) ((Map<String, Object>) template.get("metadata")).get("labels");
            assertThat(((Map<String, Object>) spec.get("selector")).get("matchLabels")).isEqualTo(labels);
            Map<String, Object> pod = (Map<String, Object>) template.get("spec");

            assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue())
                    .as("%s's grace against its shutdown", service).isGreaterThan(configuration.shutdown().toSeconds());
            assertThat((Map<String, Object>) pod.get("securityContext")).containsEntry("runAsNonRoot", true)
                    .containsEntry("runAsUser", 10001);
            assertThat(pod).doesNotContainKeys("hostNetwork", "hostPID");

            Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
            assertThat(container.get("image")).isEqualTo("mooli/" + service);
            Map<String, Integer> ports = ((List<Map<String, Object>>) container.get("ports")).stream()
                    .collect(Collectors.toMap(port -> (String) port.get("name"), port -> (Integer) port.get("containerPort")));
            assertThat(ports).as(service).containsEntry("management", configuration.managementPort())
                    .containsValue(configuration.serverPort());
            for (String[] probe : new String[][] {{"startupProbe", "liveness"}, {"livenessProbe", "liveness"},
                    {"readinessProbe", "readiness"}}) {
                Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) container.get(probe[0])).get("httpGet");
                assertThat(get).as("%s's %s", service, probe[0])
                        .containsEntry("path", "/actuator/health/" + probe[1]).containsEntry("port", "management");
            }
            Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) container.get("resources");
            assertThat(resources.get("requests")).as(service).containsKeys("cpu", "memory");
            assertThat(resources.get("limits")).as(service).containsKey("memory");
            assertThat((Map<String, Object>) container.get("securityContext")).containsEntry("allowPrivilegeEscalation", false);

            List<Map<String, Object>> environment = (List<Map<String, Object>>) container.get("env");
            environment.stream().filter(variable -> SECRET.matcher((String) variable.get("name")).find())
                    .forEach(variable -> assertThat(variable).as("%s's %s", service, variable.get("name"))
                            .doesNotContainKey("value")
                            .extracting(v -> ((Map<String, Object>) v.get("valueFrom")).get("secretKeyRef")).isNotNull());
            assertThat(environment).extracting(variable -> variable.get("name")).as(service).contains("MANAGEMENT_TOKEN");

            Map<String, Object> budget = named(service, "PodDisruptionBudget");
            assertThat(((Map<String, Object>) budget.get("spec")).get("selector"))
                    .isEqualTo(Map.of("matchLabels", labels));
            assertThat(servicesSelecting(labels)).as("%s is reachable on its management port", service)
                    .anySatisfy(servicePorts -> assertThat(servicePorts).contains(configuration.managementPort()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void identitiesAndStateSurviveARestart() {
        Map<String, Object> liveness = (Map<String, Object>) named("liveness-stream", "StatefulSet").get("spec");
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) liveness.get("template")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        Map<String, Object> environment = environment(container);
        String stateDir = (String) environment.get("LIVENESS_STATE_DIR");
        assertThat((List<Map<String, Object>>) container.get("volumeMounts"))
                .containsExactly(Map.of("name", "state", "mountPath", stateDir));
        assertThat((List<Map<String, Object>>) liveness.get("volumeClaimTemplates"))
                .extracting(claim -> ((Map<String, Object>) claim.get("metadata")).get("name")).containsExactly("state");
        assertThat(environment.get("LIVENESS_INSTANCE_ID")).isEqualTo(Map.of("fieldRef", Map.of("fieldPath", "metadata.name")));

        Map<String, Object> edge = (Map<String, Object>) named("ws-edge", "StatefulSet").get("spec");
        Map<String, Object> edgePod = (Map<String, Object>) ((Map<String, Object>) edge.get("template")).get("spec");
        assertThat(environment(((List<Map<String, Object>>) edgePod.get("containers")).get(0)).get("EDGE_ID"))
                .isEqualTo(Map.of("fieldRef", Map.of("fieldPath", "metadata.name")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMigrationJobRunsTheMigrationsEntryPointFromTheImageThatHoldsThemAndTheServicesWaitForIt() throws IOException {
        Map<String, Object> job = named("mooli-migrate", "Job");
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) job.get("spec"))
                .get("template")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertThat(container.get("image")).isEqualTo("mooli/control-api");
        List<String> command = (List<String>) container.get("command");
        assertThat(command).containsExactly("java", "-Dlogback.configurationFile=migrations-logback.xml", "-cp",
                "/app/BOOT-INF/lib/*", "ai.moolai.database.Migrations");
        for (String service : List.of("control-api", "report-ingest")) {
            Map<String, Object> servicePod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    named(service, "Deployment").get("spec")).get("template")).get("spec");
            Map<String, Object> init = ((List<Map<String, Object>>) servicePod.get("initContainers")).get(0);
            assertThat(init.get("image")).as(service + " waits with its own image").isEqualTo("mooli/" + service);
            List<String> awaits = new ArrayList<>(command);
            awaits.add("--await");
            assertThat(init.get("command")).as(service + " waits for the schema").isEqualTo(awaits);
        }
        assertThat(ServiceConfiguration.ROOT.resolve("database/src/main/java/ai/moolai/database/Migrations.java")).exists();
        assertThat(Files.readString(ServiceConfiguration.ROOT.resolve("control-api/pom.xml")))
                .as("control-api's image holds the migrations").contains("<artifactId>database</artifactId>");

        Map<String, Object> config = named("mooli-config", "ConfigMap");
        assertThat((Map<String, String>) config.get("data")).containsEntry("SPRING_FLYWAY_ENABLED", "false")
                .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
                .doesNotContainKeys("DATABASE_PASSWORD", "MANAGEMENT_TOKEN", "DEV_BEARER_TOKEN", "EVENT_TICKET_KEY");
    }

    /**
     * The job's command, run as the image runs it: control-api's jar extracted into its layers, as
     * the Dockerfile does, and the layers in one folder, on a database no service has touched.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theMigrationJobsCommandMigratesAFreshDatabaseFromTheImagesLayers(@TempDir Path work) throws Exception {
        Path jar = ServiceConfiguration.ROOT.resolve("control-api/target/control-api-exec.jar");
        assertThat(jar).as("control-api is packaged before dev-stack's tests run").exists();
        Path layers = work.resolve("layers");
        ChildProcess.run(List.of(ChildProcess.jdkTool("java"), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                "--layers", "--launcher", "--destination", layers.toString()), Duration.ofMinutes(1));
        Path app = work.resolve("app");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            copyInto(layers.resolve(layer), app);
        }
        Map<String, Object> container = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) documents("migrate-job.yaml").get(0).get("spec")).get("template")).get("spec"))
                .get("containers")).get(0);
        List<String> command = new ArrayList<>((List<String>) container.get("command"));
        command.set(0, ChildProcess.jdkTool("java"));
        command.replaceAll(argument -> argument.replace("/app/", app + "/"));

        TestDatabase database = TestDatabase.create();
        ChildProcess migrate = ChildProcess.start("migrate", command, Map.of("JDBC_DATABASE_URL", database.jdbcUrl(),
                "DATABASE_USER", database.username(), "DATABASE_PASSWORD", database.password()), work.resolve("migrate.log"));
        migrate.awaitExit(Duration.ofMinutes(2));
        assertThat(migrate.process().exitValue()).as(migrate.tail()).isZero();
        assertThat(migrate.tail()).contains("migration(s) applied");
        // The services' init containers, on the migrated database: on their way at once.
        command.add("--await");
        ChildProcess await = ChildProcess.start("await", command, Map.of("JDBC_DATABASE_URL", database.jdbcUrl(),
                "DATABASE_USER", database.username(), "DATABASE_PASSWORD", database.password()), work.resolve("await.log"));
        await.awaitExit(Duration.ofMinutes(2));
        assertThat(await.tail()).contains("the database's schema is this build's").doesNotContain("DEBUG");
        try (var connection = database.connect(); var tables = connection.createStatement().executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('outbox', 'orchestrator_reports')")) {
            assertThat(tables.next()).isTrue();
            assertThat(tables.getInt(1)).isEqualTo(2);
        }
    }

    private static void copyInto(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> container) {
        return ((List<Map<String, Object>>) container.get("env")).stream().collect(Collectors.toMap(
                variable -> (String) variable.get("name"),
                variable -> variable.containsKey("value") ? variable.get("value") : variable.get("valueFrom")));
    }

    private static Map<String, Object> named(String name, String... kinds) {
        return resources.stream()
                .filter(resource -> Set.of(kinds).contains(resource.get("kind")) && name.equals(nameOf(resource)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + String.join(" or ", kinds) + " named " + name));
    }

    /** The ports of each Service whose selector picks pods with these labels. */
    @SuppressWarnings("unchecked")
    private static List<List<Integer>> servicesSelecting(Map<String, String> labels) {
        return resources.stream().filter(resource -> "Service".equals(resource.get("kind")))
                .map(resource -> (Map<String, Object>) resource.get("spec"))
                .filter(spec -> labels.entrySet().containsAll(((Map<String, String>) spec.get("selector")).entrySet()))
                .map(spec -> ((List<Map<String, Object>>) spec.get("ports")).stream()
                        .map(port -> (Integer) port.get("port")).toList())
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static String nameOf(Map<String, Object> resource) {
        return (String) ((Map<String, Object>) resource.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(K8S.resolve(file))) {
            for (Object document : new Yaml().loadAll(reader)) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }
}
