package ai.moolai.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.moolai.edge.config.EdgeProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * A handshake accepted just as its deadline passes either opens the session or finds it closed for
 * the timeout, never both: an orchestrator told it is connected is not then closed with 1008
 * {@code handshake_timeout} (which left it connected in its own eyes and INACTIVE in everyone else's).
 */
class HandshakeDeadlineTest {

    @Test
    void aHandshakeAtTheDeadlineOpensTheSessionOrFindsItClosedNeverBoth() throws InterruptedException {
        EdgeProperties edge = new EdgeProperties("edge", 8765, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(20), Duration.ofMillis(1), 65536, 8192, 1024, 20_000, 20, 100, 20, 8388608, 262144, 20,
                Duration.ofSeconds(10), 1, Duration.ofSeconds(10), 1000, 20, Duration.ofHours(1), Duration.ofSeconds(15));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EdgeExecutors executors = new EdgeExecutors();
        UnauthenticatedSockets sockets = new UnauthenticatedSockets(edge, executors, meters);
        EdgeMetrics metrics = new EdgeMetrics(meters);
        List<EdgeSession> opened = new ArrayList<>();
        List<EdgeSession> refused = new ArrayList<>();
        try {
            // The deadline (1 ms) fires on the timer thread while this thread accepts the handshake,
            // at a different moment relative to it in each round.
            for (int round = 0; round < 5_000; round++) {
                EdgeSession session = new EdgeSession(new StandardWebSocketSession(new HttpHeaders(), Map.of(), null, null),
                        null, sockets.enter(), new RateLimit(20, 65536, 65536, 20, 0), metrics, Instant.now());
                session.awaitHandshake();
                long spin = System.nanoTime() + (round % 30) * 50_000L;
                while (System.nanoTime() < spin) {
                    Thread.onSpinWait();
                }
                (session.open("orch-" + round, "hash") ? opened : refused).add(session);
            }
            executors.timers().shutdown();
            assertThat(executors.timers().awaitTermination(10, TimeUnit.SECONDS)).as("every deadline ran").isTrue();
        } finally {
            executors.destroy();
        }

        assertThat(opened).as("some handshakes beat the deadline").isNotEmpty()
                .allSatisfy(session -> assertThat(session.closedByEdge()).as("opened, then closed for the timeout").isFalse());
        assertThat(refused).as("some lost to it").isNotEmpty()
                .allSatisfy(session -> assertThat(session.closedByEdge()).isTrue());
    }
}
