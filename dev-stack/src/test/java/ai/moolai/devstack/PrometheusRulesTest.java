package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ai.moolai.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * {@code deploy/prometheus/} and {@code deploy/grafana/}: the alert rules, the scrape configuration
 * and every dashboard query are what Prometheus accepts ({@code promtool check}), and each alert
 * fires on what it is for and not on what it is not ({@code promtool test rules alerts.test.yml}).
 * promtool comes with Debian's {@code prometheus} package, which {@code .ci/run} installs. That
 * the metrics they name are exported is the end-to-end suite's {@code MetricNamesTest}.
 */
class PrometheusRulesTest {

    private static final Path DEPLOY = Path.of("..").toAbsolutePath().normalize().resolve("deploy");
    private static final Path PROMETHEUS = DEPLOY.resolve("prometheus");
    private static final List<String> DASHBOARDS = List.of("fleet", "edge", "pipelines", "outbox");

    @Test
    void theRulesAreValidAndTheirUnitTestsPass() throws Exception {
        assertThat(promtool(PROMETHEUS, "check", "rules", "alerts.yml")).contains("SUCCESS");
        assertThat(promtool(PROMETHEUS, "test", "rules", "alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void theScrapeConfigurationIsValid(@TempDir Path copy) throws Exception {
        // As deployed: the token in the file it names, beside it.
        for (String file : List.of("prometheus.yml", "alerts.yml")) {
            Files.copy(PROMETHEUS.resolve(file), copy.resolve(file));
        }
        Files.writeString(copy.resolve("management-token"), "a-management-token");
        assertThat(promtool(copy, "check", "config", "prometheus.yml")).contains("SUCCESS: 10 rules found");
    }

    @Test
    void everyDashboardIsWholeAndEachOfItsQueriesIsPromqlPrometheusAccepts(@TempDir Path rules) throws Exception {
        Set<String> uids = new HashSet<>();
        StringBuilder recorded = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        for (String name : DASHBOARDS) {
            JsonNode dashboard = Json.events().readTree(DEPLOY.resolve("grafana/dashboards/" + name + ".json").toFile());
            assertThat(uids.add(dashboard.path("uid").asString())).as(name + "'s uid is its own").isTrue();
            assertThat(dashboard.path("templating").path("list").findValuesAsString("name")).as(name + " asks which Prometheus")
                    .contains("datasource");
            List<int[]> taken = new ArrayList<>();
            for (JsonNode panel : dashboard.path("panels")) {
                String title = name + ": " + panel.path("title").asString();
                assertThat(panel.path("datasource").path("uid").asString()).as(title).isEqualTo("${datasource}");
                assertThat(panel.path("targets").isEmpty()).as(title + " queries something").isFalse();
                JsonNode at = panel.path("gridPos");
                int[] box = {at.path("x").asInt(), at.path("y").asInt(), at.path("w").asInt(), at.path("h").asInt()};
                assertThat(box[0] + box[2]).as(title + " fits the grid's 24 columns").isLessThanOrEqualTo(24);
                assertThat(taken).as(title + " overlaps no other panel").noneMatch(other -> box[0] < other[0] + other[2]
                        && other[0] < box[0] + box[2] && box[1] < other[1] + other[3] && other[1] < box[1] + box[3]);
                taken.add(box);
                for (JsonNode target : panel.path("targets")) {
                    // Each query as a recording rule: promtool parses it as Prometheus would.
                    recorded.append("      - record: dashboard:").append(name).append(':').append(uids.size())
                            .append('_').append(taken.size()).append('_').append(target.path("refId").asString())
                            .append("\n        expr: ").append(Json.events().writeValueAsString(target.path("expr").asString()))
                            .append('\n');
                }
            }
        }
        Files.writeString(rules.resolve("dashboards.yml"), recorded);
        assertThat(promtool(rules, "check", "rules", "dashboards.yml")).contains("SUCCESS");
        for (String provisioning : List.of("datasources/prometheus.yml", "dashboards/mooli.yml")) {
            try (Reader reader = Files.newBufferedReader(DEPLOY.resolve("grafana/provisioning/" + provisioning))) {
                Map<String, Object> read = new Yaml().load(reader);
                assertThat(read).as(provisioning).containsEntry("apiVersion", 1);
            }
        }
    }

    /** promtool's output; a failure (or no promtool) fails the test with what it said. */
    private static String promtool(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new AssertionError("promtool is not installed: it comes with Debian's prometheus package "
                    + "(apt-get install prometheus), which .ci/run installs", missing);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + " said:\n" + output).isZero();
        return output;
    }
}
