package ai.moolai.edge;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TestOrchestrator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * What a stranger may hold before its handshake is accepted: one of two places here, a text frame
 * of 8 KiB, a binary message of 1 KiB, and an upgrade request unfinished for a second.
 *
 * <p>The handshake deadline (5 s) is longer than any wait for a place to come back, so a place
 * seen given back was given back by the way its socket ended, never by the deadline.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"edge.max-unauthenticated-sessions=2", "edge.handshake-timeout=5s",
                "server.tomcat.connection-timeout=1s"})
@ActiveProfiles("test")
class UnauthenticatedLimitsTest {

    private static final Duration SHORT_OF_THE_DEADLINE = Duration.ofSeconds(3);

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Autowired
    private DesiredStateView view;

    @Autowired
    private MeterRegistry meters;

    private Fleet fleet;

    @BeforeEach
    void noPlaceIsTaken() {
        fleet = new Fleet(view);
        awaitNoPlaceTaken();
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }

    @Test
    void refusesUpgradesBeyondTheUnauthenticatedCapWith503UntilAPlaceIsGivenBack() throws Exception {
        Fleet.Member member = fleet.register();
        double refusedBefore = refused("too_many_unauthenticated");
        try (TestOrchestrator first = TestOrchestrator.connect(port);
             TestOrchestrator second = TestOrchestrator.connect(port)) {
            assertThat(TestOrchestrator.upgradeStatus(port)).isEqualTo(503);
            assertThat(refused("too_many_unauthenticated")).isEqualTo(refusedBefore + 1);

            first.send(TestOrchestrator.handshake(member.id(), member.token()));
            first.expect("handshake_ack");
            try (TestOrchestrator third = TestOrchestrator.connect(port)) {
                assertThat(TestOrchestrator.upgradeStatus(port)).as("second and third hold both places").isEqualTo(503);

                second.close();
                await().atMost(SHORT_OF_THE_DEADLINE).until(() -> placesTaken() == 1);
                try (TestOrchestrator fourth = TestOrchestrator.connect(port)) {
                    assertThat(placesTaken()).isEqualTo(2);
                }
            }
        }
        assertThat(refused("too_many_unauthenticated")).isEqualTo(refusedBefore + 2);
        assertThat(Http.get(managementPort, "/actuator/prometheus", Http.MANAGEMENT_TOKEN).body()).contains("edge_sessions_unauthenticated",
                "edge_upgrades_refused_total{reason=\"too_many_unauthenticated\"}");
    }

    @Test
    void givesThePlaceBackHoweverTheSocketEndsBeforeItsHandshake() throws Exception {
        Fleet.Member member = fleet.register();

        assertThat(upgradeWithoutAKey()).as("refused after the gate, by the handshake handler").startsWith("HTTP/1.1 400");
        assertThat(placesTaken()).isZero();

        try (TestOrchestrator admitted = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            assertThat(placesTaken()).as("given back before handshake_ack").isZero();
        }

        TestOrchestrator.connect(port).close();
        awaitNoPlaceTaken();

        try (TestOrchestrator refused = TestOrchestrator.connect(port)) {
            refused.send(TestOrchestrator.handshake(member.id(), "mo_wrong"));
            assertThat(refused.awaitClose().code()).isEqualTo(4401);
        }
        awaitNoPlaceTaken();

        try (TestOrchestrator tooBig = TestOrchestrator.connect(port)) {
            tooBig.sendBinary(new byte[4096], true);
            assertThat(tooBig.awaitClose().code()).isEqualTo(1009);
        }
        awaitNoPlaceTaken();
    }

    @Test
    void closesAHandshakeOverTheUnauthenticatedFrameCapWith1009YetTakesThatSizeOnceAuthenticated() throws Exception {
        Fleet.Member member = fleet.register();
        String beyondTheCap = " ".repeat(8192);
        double before = tooBig("text", false);
        try (TestOrchestrator stranger = TestOrchestrator.connect(port)) {
            stranger.send(TestOrchestrator.handshake(member.id(), member.token()) + beyondTheCap);
            assertThat(stranger.awaitClose()).isEqualTo(new TestOrchestrator.Close(1009, "message_too_big"));
        }
        assertThat(tooBig("text", false)).isEqualTo(before + 1);

        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            orchestrator.send("{\"type\":\"provisioning_request\"}" + beyondTheCap + beyondTheCap);
            assertThat(orchestrator.nextOfType("provisioning").path("data").path("orchestrator_id").asString())
                    .isEqualTo(member.id());
        }
    }

    @Test
    void closesABinaryMessageOverItsCapWith1009WithoutWaitingForItsEnd() throws Exception {
        Fleet.Member member = fleet.register();
        double before = tooBig("binary", true);
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            orchestrator.sendBinary(new byte[1024], true);
            assertThat(orchestrator.nextOfType("error").path("code").asString()).isEqualTo("binary_not_supported");

            orchestrator.sendBinary(new byte[1024], false);
            orchestrator.sendBinary(new byte[1024], false);

            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(1009, "message_too_big"));
        }
        assertThat(tooBig("binary", true)).isEqualTo(before + 1);
    }

    @Test
    void closesAnUpgradeRequestLeftUnfinishedForLongerThanTheUpgradeTimeout() throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) TestOrchestrator.WAIT.toMillis());
            long sent = System.nanoTime();
            socket.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n".getBytes(US_ASCII));

            readUntilClosed(socket.getInputStream());

            assertThat(Duration.ofNanos(System.nanoTime() - sent))
                    .as("server.tomcat.connection-timeout=1s, not the 5 s default nor Tomcat's 60 s")
                    .isLessThan(Duration.ofSeconds(4));
        }
    }

    private double placesTaken() {
        return meters.get("edge.sessions.unauthenticated").gauge().value();
    }

    private void awaitNoPlaceTaken() {
        await().atMost(SHORT_OF_THE_DEADLINE).until(() -> placesTaken() == 0);
    }

    private double refused(String reason) {
        Counter counter = meters.find("edge.upgrades.refused").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private double tooBig(String kind, boolean authenticated) {
        Counter counter = meters.find("edge.messages.too_big").tag("kind", kind)
                .tag("authenticated", Boolean.toString(authenticated)).counter();
        return counter == null ? 0 : counter.count();
    }

    /** An upgrade request the gate lets through and the handshake handler refuses; its status line. */
    private String upgradeWithoutAKey() throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) TestOrchestrator.WAIT.toMillis());
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII)).readLine();
        }
    }

    /** Reads whatever the server says until it closes the connection; a read timeout fails. */
    private static void readUntilClosed(InputStream in) throws IOException {
        try {
            while (in.read() != -1) {
                // Tomcat may answer before it closes; only the close matters.
            }
        } catch (SocketException reset) {
            // Closed with data unread: closed all the same.
        }
    }
}
