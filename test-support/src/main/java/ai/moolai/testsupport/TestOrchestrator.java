package ai.moolai.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import ai.moolai.protocol.Json;
import tools.jackson.databind.JsonNode;

/** A raw WebSocket client speaking the protocol frame by frame, for tests of the edge and of the whole stack. */
public final class TestOrchestrator implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket socket;

    /** How the edge ended the session. */
    public record Close(int code, String reason) {
    }

    private TestOrchestrator(WebSocket.Builder builder, URI uri) {
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    public static TestOrchestrator connect(int port) {
        return connect(port, "/ws", null);
    }

    public static TestOrchestrator connect(int port, String path, String bearerToken) {
        return connect("localhost", port, path, bearerToken);
    }

    /** Connects to the edge at this host ({@code 127.0.0.1}, {@code [::1]}): the address the edge sees follows it. */
    public static TestOrchestrator connect(String host, int port, String path, String bearerToken) {
        return connect(URI.create("ws://" + host + ":" + port + path), bearerToken);
    }

    /** Connects to the edge at this URL, with a bearer token in the upgrade request or none. */
    public static TestOrchestrator connect(URI edge, String bearerToken) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        if (bearerToken != null) {
            builder.header("Authorization", "Bearer " + bearerToken);
        }
        return new TestOrchestrator(builder, edge);
    }

    /** Tries an upgrade: 0 when the edge takes it, else the HTTP status it refused it with. */
    public static int upgradeStatus(int port) {
        try {
            connect(port).close();
            return 0;
        } catch (CompletionException refused) {
            if (refused.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw refused;
        }
    }

    /** Connects, handshakes with the token in the frame (as the seed client does) and reads ack and provisioning. */
    public static TestOrchestrator handshaken(int port, String orchestratorId, String token) throws InterruptedException {
        TestOrchestrator orchestrator = connect(port);
        orchestrator.send(handshake(orchestratorId, token));
        orchestrator.expect("handshake_ack");
        orchestrator.expect("provisioning");
        return orchestrator;
    }

    public static String handshake(String orchestratorId, String token) {
        return """
                {"type":"handshake","service":"orchestrator",
                 "data":{"orchestrator_id":"%s"%s,
                         "metadata":{"version":"1.0.0","hostname":"h","ip":"10.0.0.5","ssl_enabled":false,
                                     "name":"Acme","location":"eu-1","features":{"cache":{"enabled":false}}}},
                 "timestamp":"2026-11-27T10:00:00.000+00:00"}""".formatted(orchestratorId,
                token == null ? "" : ",\"token\":\"" + token + "\"");
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /**
     * Sends unless the edge has closed the session: whether it was sent. For floods the edge is
     * expected to cut short, where its close may come between one frame and the next.
     */
    public boolean sendUnlessClosed(String text) {
        try {
            send(text);
            return true;
        } catch (CompletionException failed) {
            if (failed.getCause() instanceof IOException) {
                return false;
            }
            throw failed;
        }
    }

    /** Sends binary: a whole message, or ({@code last} false) one fragment of a message still going on. */
    public void sendBinary(byte[] bytes, boolean last) {
        socket.sendBinary(ByteBuffer.wrap(bytes), last).join();
    }

    /** The next frame from the edge. */
    public JsonNode next() throws InterruptedException {
        JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + WAIT.toSeconds() + " s");
        }
        return frame;
    }

    /** The next frame, which must be of this type. */
    public JsonNode expect(String type) throws InterruptedException {
        JsonNode frame = next();
        if (!type.equals(frame.path("type").asString())) {
            throw new AssertionError("expected " + type + " but got " + frame);
        }
        return frame;
    }

    /** The next frame of this type, skipping controller heartbeats. */
    public JsonNode nextOfType(String type) throws InterruptedException {
        JsonNode frame = next();
        while (frame.path("type").asString().equals("controller_heartbeat") && !type.equals("controller_heartbeat")) {
            frame = next();
        }
        if (!type.equals(frame.path("type").asString())) {
            throw new AssertionError("expected " + type + " but got " + frame);
        }
        return frame;
    }

    /** The frames received and not yet read, now read. */
    public List<JsonNode> drain() {
        List<JsonNode> unread = new ArrayList<>();
        frames.drainTo(unread);
        return unread;
    }

    /** How the edge closed the session (waits for it). */
    public Close awaitClose() {
        return closed.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Closes cleanly from the orchestrator's side. */
    public void closeNormally(String reason) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, reason).join();
    }

    /** Drops the connection without a close frame, as a crashed process would. */
    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frames.add(Json.frames().readTree(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Close(1006, String.valueOf(error)));
        }
    }
}
