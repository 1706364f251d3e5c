package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import ai.moolai.protocol.Json;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard benchmark, run small against the stack (20 orchestrators, 10 connected, a storm of
 * 40 transitions a second for 2 s, one dashboard in Chromium on the benchmark's organization), so
 * that it keeps working; its timings here mean nothing (see README, Performance). What it checks
 * does: every transition of the storm was stored, and after it the dashboard, whose stream watches
 * only what it shows, shows the counts control-api has and each of its 20 orchestrators with the
 * status control-api has.
 */
@ExtendWith(E2eStack.Extension.class)
class DashboardBenchSmokeTest {

    @Test
    void stormsTheFleetUnderAnOpenDashboardThatEndsShowingTheCountsControlApiHas(E2eStack stack) throws Exception {
        Path out = stack.home().resolve("dashboard.json");
        stack.run("dashboard-bench", E2eStack.benchmark("DashboardBench",
                "--registered", "20", "--connected", "10", "--per-worker", "10",
                "--storm", "40", "--storm-seconds", "2", "--dashboards", "1", "--quiet", "1",
                "--views", "/?organization={organization}",
                "--api", stack.services().apiUrl().toString(), "--token", ApiClient.ADMIN,
                "--edge", stack.services().edgeUrl().toString(), "--kafka", stack.services().kafkaBootstrapServers(),
                "--frontend", E2eStack.ROOT.resolve("frontend").toString(), "--out", out.toString()),
                Map.of(), Duration.ofMinutes(3));

        JsonNode result = Json.events().readTree(Files.readString(out));
        assertThat(result.path("connected").asInt()).isEqualTo(10);
        assertThat(result.path("storm").path("orchestrators").asInt()).isEqualTo(10);
        assertThat(result.path("storm").path("transitions").asLong()).as("each storm orchestrator ACTIVE, then INACTIVE")
                .isGreaterThanOrEqualTo(20);
        assertThat(result.path("firstRows").path(0).path("firstRowsMs").asDouble()).isPositive();
        JsonNode shown = result.path("countsShown").path(0);
        assertThat(shown.path("matches").asBoolean()).as("counts and rows as control-api has them: " + shown).isTrue();
        assertThat(shown.path("rowsCompared").asInt()).as("every orchestrator of the benchmark's organization").isEqualTo(20);
    }
}
