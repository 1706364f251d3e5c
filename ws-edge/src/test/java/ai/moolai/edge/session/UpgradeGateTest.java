package ai.moolai.edge.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import ai.moolai.edge.WsEdgeApplication;
import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.testsupport.TestKafka;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Upgrades are refused with 503 once the edge has begun to shut down, so clients back off instead of being closed at once. */
class UpgradeGateTest {

    @Test
    void refusesUpgradesWith503OnceTheEdgeHasBegunToShutDown() {
        ConfigurableApplicationContext edge = new SpringApplicationBuilder(WsEdgeApplication.class)
                .run("--server.port=0", "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        try {
            URI uri = URI.create("ws://localhost:" + ((WebServerApplicationContext) edge).getWebServer().getPort() + "/ws");
            await().atMost(Duration.ofSeconds(30)).until(edge.getBean(DesiredStateView.class)::isCaughtUp);
            assertThat(upgrade(uri)).as("accepted while running").isZero();

            // The first step of a shutdown: the web server still answers.
            edge.getBean(SessionSupervisor.class).stop();

            assertThat(upgrade(uri)).isEqualTo(503);
        } finally {
            edge.close();
        }
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
