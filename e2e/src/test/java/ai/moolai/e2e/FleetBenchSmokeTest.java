package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import ai.moolai.protocol.Json;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The fleet benchmark, run for a few seconds against the stack with a fleet of 30 in two client
 * processes, so that it keeps working; its numbers here mean nothing (see README, Performance).
 */
@ExtendWith(E2eStack.Extension.class)
class FleetBenchSmokeTest {

    @Test
    void holdsAFleetFromSeveralClientProcessesAndWritesItsResults(E2eStack stack) throws Exception {
        Path out = stack.home().resolve("fleet.json");
        stack.run("fleet-bench", E2eStack.benchmark("FleetBench",
                "--stages", "10,30", "--per-worker", "20", "--interval", "2", "--measure", "4",
                "--api", stack.services().apiUrl().toString(), "--token", ApiClient.ADMIN,
                "--edge", stack.services().edgeUrl().toString(), "--edge-pid", Long.toString(stack.services().pid("ws-edge")),
                "--edge-management", stack.services().managementUrl("ws-edge").toString(),
                "--liveness", stack.services().managementUrl("liveness-stream").toString(),
                "--management-token", Http.MANAGEMENT_TOKEN,
                "--kafka", stack.services().kafkaBootstrapServers(), "--jdbc", stack.database().jdbcUrl(),
                "--db-user", stack.database().username(), "--db-password", stack.database().password(),
                "--out", out.toString()), Map.of(), Duration.ofMinutes(3));

        JsonNode result = Json.events().readTree(Files.readString(out));
        assertThat(result.path("sessionsHeld").asInt()).isEqualTo(30);
        assertThat(result.path("memory").valueStream().map(stage -> stage.path("workers").asInt()).toList())
                .containsExactly(1, 2);
        JsonNode steady = result.path("steady");
        assertThat(steady.path("heartbeatsPerSecondAtEdge").asDouble()).isPositive();
        assertThat(steady.path("heartbeatsPerSecondThroughLiveness").asDouble()).isPositive();
        assertThat(steady.path("postgresCommits").asLong()).isPositive();
        assertThat(result.path("burst").path("caughtUpSeconds").isNumber()).isTrue();
    }
}
