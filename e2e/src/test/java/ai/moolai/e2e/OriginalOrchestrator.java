package ai.moolai.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import ai.moolai.protocol.Json;
import ai.moolai.testsupport.OriginalFixtures;
import tools.jackson.databind.JsonNode;

/**
 * The original system's orchestrator as the edge meets it: its exact frames ({@link OriginalFixtures}),
 * sent without a token, and its heartbeat every few seconds. It can
 * be killed (the connection dropped, no close frame) as a crashed process would be.
 */
final class OriginalOrchestrator implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String orchestratorId;
    private final WebSocket socket;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    private OriginalOrchestrator(String orchestratorId, URI edge) {
        this.orchestratorId = orchestratorId;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                .buildAsync(edge, new Listener()).join();
    }

    /** Connects to the edge and sends its handshake, then a heartbeat ({@code keepalive}, as older builds did) at this interval. */
    static OriginalOrchestrator connect(URI edge, String orchestratorId, Duration heartbeat) {
        OriginalOrchestrator orchestrator = new OriginalOrchestrator(orchestratorId, edge);
        orchestrator.send("handshake.json");
        orchestrator.heartbeats.scheduleAtFixedRate(() -> orchestrator.send("keepalive.json"), heartbeat.toMillis(),
                heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        return orchestrator;
    }

    void send(String fixture) {
        synchronized (socket) {
            socket.sendText(OriginalFixtures.of(fixture, orchestratorId), true).join();
        }
    }

    /** The next frame of this type from the edge, skipping others. */
    JsonNode next(String type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame != null && type.equals(frame.path("type").asString())) {
                return frame;
            }
        }
        throw new AssertionError("no " + type + " frame within " + WAIT.toSeconds() + " s");
    }

    /** Calls the edge as the original's HTTP client does, with one of its bodies (or none), without a token. */
    static HttpResponse<String> call(URI edgeHttp, String method, String path, String fixture, String orchestratorId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(edgeHttp.resolve(path)).timeout(WAIT);
        request.method(method, fixture == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(OriginalFixtures.of(fixture, orchestratorId)));
        if (fixture != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The close code the edge sent, once it closed the session. */
    int awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** As a crashed process: heartbeats stop and the connection drops without a close frame. */
    void kill() {
        heartbeats.shutdownNow();
        socket.abort();
    }

    @Override
    public void close() {
        kill();
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
            heartbeats.shutdownNow();
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            heartbeats.shutdownNow();
            closed.complete(1006);
        }
    }
}
