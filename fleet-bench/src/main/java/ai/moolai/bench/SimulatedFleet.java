package ai.moolai.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import ai.moolai.protocol.ws.Decoded;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.Handshake;
import ai.moolai.protocol.ws.HandshakeAck;
import ai.moolai.protocol.ws.IAmAlive;
import ai.moolai.protocol.ws.IndependenceUpdate;
import ai.moolai.protocol.ws.OutboundFrame;

/**
 * Simulated orchestrators, created through the API: each holding a real, handshaken WebSocket
 * session to an edge and heartbeating.
 */
public final class SimulatedFleet implements AutoCloseable {

    /**
     * One simulated orchestrator.
     *
     * @param id    its orchestrator id
     * @param token its token
     */
    public record Member(String id, String token) {
    }

    private final URI edge;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Each handshaken session, by orchestrator id. */
    private final Map<String, WebSocket> sockets = new ConcurrentHashMap<>();
    /** When (System.nanoTime) each orchestrator last received an independence_update. */
    final Map<String, Long> independenceUpdates = new ConcurrentHashMap<>();

    /** Members being connected again by {@link #keepHeartbeating}. */
    private final Set<String> reconnecting = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService heartbeats;

    /** A fleet that connects to the edge at {@code edge} ({@code ws://…/ws}). */
    public SimulatedFleet(URI edge) {
        this.edge = edge;
    }

    /**
     * Keeps every member connected and heartbeating every {@code interval}, until closed, as agents
     * do: a member whose session ended (an edge restarted, say) connects and handshakes again at
     * its next beat.
     */
    public void keepHeartbeating(List<Member> members, Duration interval) {
        heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "simulated-fleet-heartbeats");
            thread.setDaemon(true);
            return thread;
        });
        heartbeats.scheduleAtFixedRate(() -> members.forEach(this::beatOrReconnect), 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void beatOrReconnect(Member member) {
        WebSocket socket = sockets.get(member.id());
        if (socket != null && !socket.isOutputClosed() && !socket.isInputClosed()) {
            socket.sendText(FrameCodec.encode(new IAmAlive(Instant.now().toString(), null)), true);
        } else if (reconnecting.add(member.id())) {
            handshake(member).whenComplete((connected, error) -> {
                if (connected != null) {
                    sockets.put(member.id(), connected);
                }
                reconnecting.remove(member.id());
            });
        }
    }

    /** Opens a session for the member and handshakes; completes with it once acknowledged. */
    private CompletableFuture<WebSocket> handshake(Member member) {
        CompletableFuture<WebSocket> acked = new CompletableFuture<>();
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .buildAsync(edge, new Listener(member.id(), acked))
                .thenAccept(socket -> socket.sendText(FrameCodec.encode(new Handshake("orchestrator",
                        new Handshake.Data(member.id(), member.token(), null), null)), true))
                .exceptionally(failed -> {
                    acked.completeExceptionally(failed);
                    return null;
                });
        return acked.orTimeout(60, TimeUnit.SECONDS);
    }

    /** Waits until the edge knows the orchestrator (it learns of new ones from the desired-state topic). */
    public void awaitEdgeKnows(Member member, Duration within) throws Exception {
        URI poll = URI.create("http://" + edge.getHost() + ":" + edge.getPort() + "/api/v1/internal/orchestrators/"
                + member.id() + "/independence");
        long deadline = System.nanoTime() + within.toNanos();
        while (http.send(HttpRequest.newBuilder(poll).header("Authorization", "Bearer " + member.token()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the edge did not learn of " + member.id() + " within " + within.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Opens and handshakes a session for each member, {@code parallel} at a time; returns how many succeeded. */
    public int connect(List<Member> members, int parallel) throws InterruptedException {
        Semaphore inFlight = new Semaphore(parallel);
        Map<String, CompletableFuture<WebSocket>> handshakes = new LinkedHashMap<>();
        for (Member member : members) {
            inFlight.acquire();
            handshakes.put(member.id(), handshake(member).whenComplete((socket, error) -> inFlight.release()));
        }
        int connected = 0;
        RuntimeException firstFailure = null;
        for (Map.Entry<String, CompletableFuture<WebSocket>> handshake : handshakes.entrySet()) {
            try {
                sockets.put(handshake.getKey(), handshake.getValue().join());
                connected++;
            } catch (RuntimeException failed) {
                firstFailure = firstFailure == null ? failed : firstFailure;
            }
        }
        if (firstFailure != null) {
            System.err.println((members.size() - connected) + " of " + members.size() + " handshakes with " + edge
                    + " failed; the first: " + firstFailure);
        }
        return connected;
    }

    /** One heartbeat from every session, spread over {@code over}. */
    void heartbeatRound(Duration over) throws InterruptedException {
        heartbeatRound(over, () -> false);
    }

    /** One heartbeat from every session, spread over {@code over}, or sent at once from when {@code hurry} says so. */
    void heartbeatRound(Duration over, BooleanSupplier hurry) throws InterruptedException {
        long pause = over.toNanos() / Math.max(1, sockets.size());
        long next = System.nanoTime();
        for (WebSocket socket : sockets.values()) {
            if (!socket.isOutputClosed()) {
                socket.sendText(FrameCodec.encode(new IAmAlive(Instant.now().toString(), null)), true);
            }
            next += pause;
            for (long wait = next - System.nanoTime(); wait > 0 && !hurry.getAsBoolean(); wait = next - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }

    /** Whether it holds a session for this orchestrator. */
    boolean holds(String id) {
        return sockets.containsKey(id);
    }

    /** Whether it holds a session for this orchestrator that the edge has not closed. */
    boolean isOpen(String id) {
        WebSocket socket = sockets.get(id);
        return socket != null && !socket.isInputClosed();
    }

    int open() {
        return (int) sockets.values().stream().filter(socket -> !socket.isInputClosed()).count();
    }

    /** Drops these orchestrators' connections without a close handshake, as a crash or a cut cable would. */
    void drop(List<Member> members) {
        members.forEach(member -> sockets.remove(member.id()).abort());
    }

    /** Closes these orchestrators' sessions cleanly (1000), as a stopping orchestrator does. */
    void closeCleanly(List<Member> members) {
        members.forEach(member -> sockets.remove(member.id()).sendClose(WebSocket.NORMAL_CLOSURE, "stopping"));
    }

    @Override
    public void close() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        sockets.values().forEach(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done"));
    }

    private final class Listener implements WebSocket.Listener {

        private final String orchestratorId;
        private final CompletableFuture<WebSocket> acked;
        /** The frame so far, when it comes in parts. */
        private final StringBuilder frame = new StringBuilder();

        Listener(String orchestratorId, CompletableFuture<WebSocket> acked) {
            this.orchestratorId = orchestratorId;
            this.acked = acked;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                if (FrameCodec.decodeOutbound(frame.toString()) instanceof Decoded.Ok<OutboundFrame> ok) {
                    if (ok.frame() instanceof IndependenceUpdate) {
                        independenceUpdates.put(orchestratorId, System.nanoTime());
                    } else if (ok.frame() instanceof HandshakeAck) {
                        acked.complete(socket);
                    }
                }
                frame.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            acked.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            acked.completeExceptionally(error);
        }
    }
}
