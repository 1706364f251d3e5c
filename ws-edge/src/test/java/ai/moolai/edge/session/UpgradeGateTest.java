package ai.moolai.edge.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import ai.moolai.edge.WsEdgeApplication;
import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.testsupport.TestKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Upgrades are refused before any WebSocket state is held: with 503 once the edge has begun to shut
 * down, so clients back off instead of being closed at once, and with 429 from an address that has
 * spent its budget of upgrades.
 */
class UpgradeGateTest {

    @Test
    void refusesUpgradesWith503OnceTheEdgeHasBegunToShutDown() {
        ConfigurableApplicationContext edge = caughtUpEdge();
        try {
            URI uri = socketOf(edge);
            assertThat(upgrade(uri)).as("accepted while running").isZero();

            // The first step of a shutdown: the web server still answers.
            edge.getBean(SessionSupervisor.class).stop();

            assertThat(upgrade(uri)).isEqualTo(503);
        } finally {
            edge.close();
        }
    }

    @Test
    void refusesUpgradesFromAnAddressBeyondItsBudgetWith429() {
        ConfigurableApplicationContext edge = caughtUpEdge("--edge.upgrades-per-address-per-second=1",
                "--edge.upgrade-burst-per-address=3");
        try {
            URI uri = socketOf(edge);

            assertThat(List.of(upgrade(uri), upgrade(uri), upgrade(uri))).as("the burst").containsOnly(0);
            // One more upgrade a second is let through; ten in a row outrun it.
            List<Integer> beyond = IntStream.range(0, 10).mapToObj(i -> upgrade(uri)).toList();

            assertThat(beyond).isSubsetOf(0, 429).contains(429);
            Counter refused = edge.getBean(MeterRegistry.class).get("edge.upgrades.refused").tag("reason", "address_rate")
                    .counter();
            assertThat(refused.count()).isEqualTo(beyond.stream().filter(status -> status == 429).count());
        } finally {
            edge.close();
        }
    }

    @Test
    void aSessionKeepsTheTokenItPresentedButNoHeaderBeyondTheHandshakes() {
        ConfigurableApplicationContext edge = caughtUpEdge();
        try {
            URI uri = socketOf(edge);
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", "Bearer token-of-the-probe").header("X-Probe", "kept nowhere")
                    .buildAsync(uri, new WebSocket.Listener() {
                    }).join();
            try {
                SessionRegistry registry = edge.getBean(SessionRegistry.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> !registry.all().isEmpty());
                EdgeSession session = registry.all().iterator().next();

                assertThat(session.bearerToken()).isEqualTo("token-of-the-probe");
                assertThat(session.handshakeHeaders().headerNames()).as("the handshake's headers alone")
                        .extracting(String::toLowerCase).contains("sec-websocket-key")
                        .isSubsetOf("connection", "upgrade", "sec-websocket-key", "sec-websocket-version",
                                "sec-websocket-protocol", "sec-websocket-extensions", "content-length");
                assertThat(session.handshakeHeaders().toString()).doesNotContain("token-of-the-probe", "kept nowhere");
            } finally {
                socket.abort();
            }
        } finally {
            edge.close();
        }
    }

    /** An edge on the test broker, once its desired-state view has caught up. */
    private static ConfigurableApplicationContext caughtUpEdge(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers()));
        all.addAll(List.of(arguments));
        ConfigurableApplicationContext edge = new SpringApplicationBuilder(WsEdgeApplication.class).run(all.toArray(String[]::new));
        try {
            await().atMost(Duration.ofSeconds(30)).until(edge.getBean(DesiredStateView.class)::isCaughtUp);
            return edge;
        } catch (RuntimeException notCaughtUp) {
            edge.close();
            throw notCaughtUp;
        }
    }

    private static URI socketOf(ConfigurableApplicationContext edge) {
        return URI.create("ws://localhost:" + ((WebServerApplicationContext) edge).getWebServer().getPort() + "/ws");
    }

    /** 0 when the upgrade succeeds, else the refusal's HTTP status. */
    private static int upgrade(URI uri) {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            }).join().abort();
            return 0;
        } catch (CompletionException failed) {
            assertThat(failed.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) failed.getCause()).getResponse().statusCode();
        }
    }
}
