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

import ai.moolai.admin.Instance;
import ai.moolai.admin.Report;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.ws.Decoded;
import ai.moolai.protocol.ws.ErrorFrame;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.Handshake;
import ai.moolai.protocol.ws.HandshakeAck;
import ai.moolai.protocol.ws.MonitoringReport;
import ai.moolai.protocol.ws.OutboundFrame;
import ai.moolai.protocol.ws.ReportAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One orchestrator sends, through the real edge, a report the database could not store and then a
 * valid one, while a real agent reports steadily beside it: the first is refused at the door, the
 * second is readable through the API within two seconds, and the agent's reports never stop.
 */
@ExtendWith(E2eStack.Extension.class)
class PoisonEndToEndTest {

    @Test
    void aReportTheDatabaseCouldNotStoreIsRefusedAndNothingElseStops(E2eStack stack) throws Exception {
        Instance.WithToken poisoner = stack.newOrchestrator("poisoner");
        Instance.WithToken steady = stack.newOrchestrator("steady");
        try (Agent agent = stack.startAgent(steady.orchestratorId(), steady.token(), Map.of("AGENT_REPORT_INTERVAL_SEC", "1"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> storedReports(stack, steady.orchestratorId()) > 0);
            // Opened only now: the edge closes a socket that has not handshaken within its deadline (5 s).
            try (Socket socket = Socket.open(stack.services().edgeUrl(), poisoner.token())) {
                poison(stack, socket, poisoner, steady);
            }
            assertThat(agent.log()).doesNotContain("refused a frame");
        }
    }

    /** The poisoner's frames, while the steady agent reports beside it. */
    private static void poison(E2eStack stack, Socket socket, Instance.WithToken poisoner, Instance.WithToken steady)
            throws Exception {
        socket.send(FrameCodec.encode(
                new Handshake("orchestrator", new Handshake.Data(poisoner.orchestratorId(), null, null), null)));
        assertThat(socket.next(HandshakeAck.class).orchId()).isEqualTo(poisoner.orchestratorId());

        UUID refused = UUID.randomUUID();
        // No record holds 1e400, beyond a double: this frame is written out by hand.
        socket.send("{\"type\":\"monitoring_report\",\"message_id\":\"" + refused + "\",\"data\":{\"cpu_pct\":1e400,"
                + "\"note\":\"ok\"}}");
        ErrorFrame error = socket.next(ErrorFrame.class);
        assertThat(error.code()).isEqualTo("invalid_message");
        assertThat(error.ref()).isEqualTo(refused.toString());
        assertThat(error.message()).contains("data.cpu_pct");

        long steadyBefore = storedReports(stack, steady.orchestratorId());
        UUID valid = UUID.randomUUID();
        socket.send(FrameCodec.encode(new MonitoringReport(valid, null, Json.frames().valueToTree(Map.of("cpu_pct", 12.5)))));
        assertThat(socket.next(ReportAck.class).messageId()).isEqualTo(valid);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(stack.admin().reports(poisoner.orchestratorId(), null, null).items())
                        .extracting(Report::messageId).containsExactly(valid));
        await().atMost(Duration.ofSeconds(10)).until(() -> storedReports(stack, steady.orchestratorId()) >= steadyBefore + 3);
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

        private final LinkedBlockingQueue<OutboundFrame> frames = new LinkedBlockingQueue<>();
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
        <F extends OutboundFrame> F next(Class<F> type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                OutboundFrame frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (type.isInstance(frame)) {
                    return type.cast(frame);
                }
            }
            throw new AssertionError("no " + type.getSimpleName() + " frame within 10 s");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                if (FrameCodec.decodeOutbound(partial.toString()) instanceof Decoded.Ok<OutboundFrame> ok) {
                    frames.add(ok.frame());
                }
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
