package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import ai.moolai.protocol.Json;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * One orchestrator sends, through the real edge, a report the database could not store and then a
 * valid one, while a real agent reports steadily beside it: the first is refused at the door, the
 * second is readable through the API within two seconds, and the agent's reports never stop.
 */
@ExtendWith(E2eStack.Extension.class)
class PoisonEndToEndTest {

    @Test
    void aReportTheDatabaseCouldNotStoreIsRefusedAndNothingElseStops(E2eStack stack) throws Exception {
        String[] poisoner = stack.newOrchestrator("poisoner");
        String[] steady = stack.newOrchestrator("steady");
        try (Agent agent = stack.startAgent(steady[0], steady[1], Map.of("AGENT_REPORT_INTERVAL_SEC", "1"));
             Socket socket = Socket.open(stack.services().edgeUrl(), poisoner[1])) {
            await().atMost(Duration.ofSeconds(60)).until(() -> storedReports(stack, steady[0]) > 0);
            socket.send("{\"type\":\"handshake\",\"service\":\"orchestrator\",\"data\":{\"orchestrator_id\":\""
                    + poisoner[0] + "\"}}");
            assertThat(socket.next("handshake_ack").path("orch_id").asString()).isEqualTo(poisoner[0]);

            UUID refused = UUID.randomUUID();
            socket.send("{\"type\":\"monitoring_report\",\"message_id\":\"" + refused + "\",\"data\":{\"cpu_pct\":1e400,"
                    + "\"note\":\"ok\"}}");
            JsonNode error = socket.next("error");
            assertThat(error.path("code").asString()).isEqualTo("invalid_message");
            assertThat(error.path("ref").asString()).isEqualTo(refused.toString());
            assertThat(error.path("message").asString()).contains("data.cpu_pct");

            long steadyBefore = storedReports(stack, steady[0]);
            UUID valid = UUID.randomUUID();
            socket.send("{\"type\":\"monitoring_report\",\"message_id\":\"" + valid + "\",\"data\":{\"cpu_pct\":12.5}}");
            assertThat(socket.next("report_ack").path("message_id").asString()).isEqualTo(valid.toString());
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(stack.api().get("/api/v1/controller/orchestrator-instances/" + poisoner[0] + "/reports",
                            ApiClient.ADMIN).body().path("items").valueStream().map(report -> report.path("messageId").asString()))
                            .containsExactly(valid.toString()));
            await().atMost(Duration.ofSeconds(10)).until(() -> storedReports(stack, steady[0]) >= steadyBefore + 3);
            assertThat(agent.log()).doesNotContain("refused a frame");
        }
    }

    private static long storedReports(E2eStack stack, String orchestratorId) throws Exception {
        try (Connection connection = stack.database().connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM orchestrator_reports WHERE orchestrator_id = ?")) {
            query.setString(1, orchestratorId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** A bare WebSocket to the edge that says exactly what the test writes, and hands back each frame it gets. */
    private static final class Socket implements WebSocket.Listener, AutoCloseable {

        private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Socket open(URI edge, String token) {
            Socket listener = new Socket();
            listener.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .buildAsync(edge, listener).join();
            return listener;
        }

        void send(String frame) {
            socket.sendText(frame, true).join();
        }

        /** The next frame of this type, skipping others (controller heartbeats, provisioning). */
        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (frame != null && type.equals(frame.path("type").asString())) {
                    return frame;
                }
            }
            throw new AssertionError("no " + type + " frame within 10 s");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(Json.frames().readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }
}
