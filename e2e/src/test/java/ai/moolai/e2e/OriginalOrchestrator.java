package ai.moolai.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import ai.moolai.testsupport.OriginalFixtures;
import ai.moolai.testsupport.TestOrchestrator;
import tools.jackson.databind.JsonNode;

/**
 * The original system's orchestrator as the edge meets it: its exact frames and HTTP bodies
 * ({@link OriginalFixtures}), sent without a token, and its heartbeat every few seconds. It can be
 * killed (the connection dropped, no close frame) as a crashed process would be.
 */
final class OriginalOrchestrator implements AutoCloseable {

    private final String orchestratorId;
    private final TestOrchestrator socket;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    private OriginalOrchestrator(String orchestratorId, URI edge) {
        this.orchestratorId = orchestratorId;
        this.socket = TestOrchestrator.connect(edge, null);
    }

    /** Connects to the edge and sends its handshake, then a heartbeat ({@code keepalive}, as older builds did) at this interval. */
    static OriginalOrchestrator connect(URI edge, String orchestratorId, Duration heartbeat) {
        OriginalOrchestrator orchestrator = new OriginalOrchestrator(orchestratorId, edge);
        orchestrator.send("handshake.json");
        orchestrator.heartbeats.scheduleAtFixedRate(() -> orchestrator.send("keepalive.json"), heartbeat.toMillis(),
                heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        return orchestrator;
    }

    /** Calls the edge as the original's HTTP client does, with one of its bodies (or none), without a token. */
    static HttpResponse<String> call(URI edgeHttp, String method, String path, String fixture, String orchestratorId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(edgeHttp.resolve(path)).timeout(TestOrchestrator.WAIT);
        request.method(method, fixture == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(OriginalFixtures.of(fixture, orchestratorId)));
        if (fixture != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void send(String fixture) {
        if (!socket.isClosed()) {
            socket.send(OriginalFixtures.of(fixture, orchestratorId));
        }
    }

    /** The next frame of this type from the edge, passing over others. */
    JsonNode next(String type) throws InterruptedException {
        JsonNode frame = socket.next();
        while (!type.equals(frame.path("type").asString())) {
            frame = socket.next();
        }
        return frame;
    }

    /** The close code the edge sent, once it closed the session. */
    int awaitClose() {
        return socket.awaitClose().code();
    }

    /** As a crashed process: heartbeats stop and the connection drops without a close frame. */
    void kill() {
        heartbeats.shutdownNow();
        socket.close();
    }

    @Override
    public void close() {
        kill();
    }
}
