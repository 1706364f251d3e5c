package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import ai.moolai.admin.IndependenceRequest;
import ai.moolai.admin.Instance;
import ai.moolai.devstack.DevStack;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.Handshake;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The services' logs as a log pipeline reads them: the stack runs with
 * {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}, every line a JSON object naming its service and
 * instance, a session's lines naming its orchestrator and session; and no log, of any service,
 * broker or agent, holds a credential it was given, a refused one included.
 */
@ExtendWith(E2eStack.Extension.class)
class LogsEndToEndTest {

    @Test
    void everyServiceLineIsJsonNamingItsInstanceAndASessionsLinesNameItsOrchestratorAndSession(E2eStack stack)
            throws Exception {
        Instance.WithToken orchestrator = stack.newOrchestrator("logs");
        try (Agent agent = stack.startAgent(orchestrator.orchestratorId(), orchestrator.token(), Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "ACTIVE".equals(stack.status(orchestrator.orchestratorId())));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lines(stack, "ws-edge"))
                .anySatisfy(line -> assertThat(line.path("message").asString())
                        .startsWith(orchestrator.orchestratorId() + " disconnected: ")
                        .satisfies(message -> assertSessionFields(line, orchestrator))));

        List<JsonNode> connected = lines(stack, "ws-edge").stream().filter(line -> line.path("message").asString()
                .startsWith(orchestrator.orchestratorId() + " connected (session ")).toList();
        assertThat(connected).hasSize(1);
        assertSessionFields(connected.get(0), orchestrator);
        assertThat(connected.get(0).path("message").asString())
                .endsWith("(session " + connected.get(0).path("session_id").asString() + ")");

        Set<String> instances = new HashSet<>();
        for (String service : DevStack.SERVICES) {
            List<JsonNode> lines = lines(stack, service);
            assertThat(lines).as(service + "'s log").hasSizeGreaterThan(10);
            Set<String> own = new HashSet<>();
            for (JsonNode line : lines) {
                assertThat(line.path("service").path("name").asString()).as(service + ": " + line).isEqualTo(service);
                assertThat(line.path("log").path("level").asString()).as(service + ": " + line).isNotEmpty();
                own.add(line.path("instance_id").asString());
            }
            assertThat(own).as(service + "'s instance").hasSize(1).doesNotContain("");
            instances.addAll(own);
        }
        assertThat(instances).as("one instance id each").hasSize(DevStack.SERVICES.size());
    }

    /**
     * One admin command, one trace, across three processes' logs: control-api's line about the
     * request, and the edge's lines about pushing it to the agent and the agent's acknowledgement.
     */
    @Test
    void anAdminsCommandIsOneTraceInTheLogsOfControlApiAndTheEdge(E2eStack stack) throws Exception {
        Instance.WithToken orchestrator = stack.newOrchestrator("traced");
        String id = orchestrator.orchestratorId();
        try (Agent agent = stack.startAgent(id, orchestrator.token(), Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "ACTIVE".equals(stack.status(id)));
            stack.admin().setIndependence(id, new IndependenceRequest(true, null));
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(stack, "ws-edge").stream()
                    .anyMatch(line -> line.path("message").asString().startsWith(id + " acknowledged independence")));
        }
        JsonNode command = only(lines(stack, "control-api"), id + " set independent by ");
        JsonNode pushed = only(lines(stack, "ws-edge"), id + " told it is independent");
        JsonNode acknowledged = only(lines(stack, "ws-edge"), id + " acknowledged independence");
        String trace = command.path("traceId").asString();
        assertThat(trace).as("control-api's line names the request's trace: " + command).matches("[0-9a-f]{32}");
        assertThat(pushed.path("traceId").asString()).as("the edge's push: " + pushed).isEqualTo(trace);
        assertThat(acknowledged.path("traceId").asString()).as("the agent's acknowledgement: " + acknowledged)
                .isEqualTo(trace);
        assertThat(List.of(command, pushed, acknowledged)).allSatisfy(line ->
                assertThat(line.path("orchestrator_id").asString()).isEqualTo(id));
    }

    @Test
    void noLogHoldsACredentialItWasGivenNorOneItRefused(E2eStack stack) throws Exception {
        Instance.WithToken orchestrator = stack.newOrchestrator("secrets");
        String refusedAdmin = "refused-admin-" + UUID.randomUUID();
        String refusedOrchestrator = "refused-orchestrator-" + UUID.randomUUID();
        try (Agent agent = stack.startAgent(orchestrator.orchestratorId(), orchestrator.token(), Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "ACTIVE".equals(stack.status(orchestrator.orchestratorId())));
            // A wrong admin token, a wrong management token, and a handshake with a wrong token.
            assertThat(Http.get(stack.services().apiUrl().getPort(), "/api/v1/controller/orchestrator-instances",
                    refusedAdmin).statusCode()).isEqualTo(401);
            assertThat(Http.get(stack.services().managementUrl("ws-edge").getPort(), "/actuator/prometheus",
                    refusedAdmin).statusCode()).isIn(401, 403);
            CompletableFuture<Integer> refused = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", "Bearer " + refusedOrchestrator)
                    .buildAsync(stack.services().edgeUrl(), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
                            refused.complete(code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            socket.sendText(FrameCodec.encode(new Handshake("orchestrator",
                    new Handshake.Data(orchestrator.orchestratorId(), null, null), null)), true).join();
            assertThat(refused.get(10, TimeUnit.SECONDS)).isBetween(4000, 4999);
            // The refusal is logged, and the test below reads that log.
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(stack, "ws-edge").stream()
                    .anyMatch(line -> line.path("message").asString().startsWith("handshake refused")));
        }

        List<String> credentials = List.of(ApiClient.ADMIN, ApiClient.VIEWER, Http.MANAGEMENT_TOKEN,
                orchestrator.token(), refusedAdmin, refusedOrchestrator);
        List<Path> logs;
        try (var files = Files.list(stack.home().resolve("logs"))) {
            logs = files.toList();
        }
        assertThat(logs).as("the services', the broker's and the agents' logs").extracting(log -> log.getFileName().toString())
                .contains("ws-edge.log", "control-api.log", "liveness-stream.log", "report-ingest.log", "kafka.log",
                        orchestrator.orchestratorId() + ".log");
        for (Path log : logs) {
            String text = Files.readString(log);
            for (String credential : credentials) {
                assertThat(text).as("%s holds a credential", stack.home().relativize(log)).doesNotContain(credential);
            }
        }
    }

    private static void assertSessionFields(JsonNode line, Instance.WithToken orchestrator) {
        assertThat(line.path("orchestrator_id").asString()).as(line.toString()).isEqualTo(orchestrator.orchestratorId());
        assertThat(line.path("session_id").asString()).as(line.toString()).isNotEmpty();
    }

    private static JsonNode only(List<JsonNode> lines, String prefix) {
        List<JsonNode> matching = lines.stream().filter(line -> line.path("message").asString().startsWith(prefix)).toList();
        assertThat(matching).as("lines starting " + prefix).hasSize(1);
        return matching.get(0);
    }

    /** Every line of a service's log, each parsed: a line that is not a JSON object fails. */
    private static List<JsonNode> lines(E2eStack stack, String service) throws Exception {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : Files.readAllLines(stack.home().resolve("logs").resolve(service + ".log"))) {
            if (line.isBlank()) {
                continue;
            }
            assertThat(line).as("a line of %s's log", service).startsWith("{");
            parsed.add(Json.events().readTree(line));
        }
        return parsed;
    }
}
