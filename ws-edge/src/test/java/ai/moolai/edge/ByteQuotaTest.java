package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.testsupport.TestOrchestrator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Each orchestrator's byte quota, made small: 6,000 bytes a minute (100 a second) with bursts of
 * 8 KiB, and three refusals in a second before the close. Reports of 1,500 bytes: five fit the
 * burst, a sixth sent at once does not, and refilling one takes fifteen seconds, far longer than a
 * test runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"edge.max-bytes-per-minute=6000", "edge.byte-burst=8192", "edge.max-frame-bytes=8192",
                "edge.rate-limit-strikes=3"})
@ActiveProfiles("test")
class ByteQuotaTest {

    private static final int REPORT_BYTES = 1_500;
    private static final int REPORTS_IN_THE_BURST = 5;

    @LocalServerPort
    private int port;

    @Autowired
    private DesiredStateView view;

    @Autowired
    private MeterRegistry meters;

    private Fleet fleet;

    @BeforeEach
    void fleet() {
        fleet = new Fleet(view);
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }

    @Test
    void warnsThenClosesAnOrchestratorOverItsByteQuotaAndLeavesTheDroppedReportUnacknowledged() throws Exception {
        Fleet.Member member = fleet.register();
        double refusedBefore = bytesRefused();
        try (TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token())) {
            sendAcknowledged(orchestrator, REPORTS_IN_THE_BURST);

            UUID dropped = UUID.randomUUID();
            orchestrator.send(report(dropped));
            JsonNode error = orchestrator.nextOfType("error");
            assertThat(error.path("code").asString()).isEqualTo("rate_limited");
            assertThat(error.path("message").asString()).contains("6000 bytes/min");

            for (int strike = 2; strike <= 4; strike++) {
                orchestrator.send(report(UUID.randomUUID()));
            }
            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(4429, "rate_limited"));
            assertThat(orchestrator.drain()).as("nothing refused is acknowledged")
                    .noneMatch(frame -> frame.path("type").asString().equals("report_ack"));
            assertThat(bytesRefused() - refusedBefore).isEqualTo(4.0 * REPORT_BYTES);
        }
    }

    @Test
    void leavesAnOrchestratorUnderItsQuotaUntouchedWhileAnotherIsOverIts() throws Exception {
        Fleet.Member quiet = fleet.register();
        Fleet.Member loud = fleet.register();
        try (TestOrchestrator underQuota = TestOrchestrator.handshaken(port, quiet.id(), quiet.token());
             TestOrchestrator overQuota = TestOrchestrator.handshaken(port, loud.id(), loud.token())) {
            sendAcknowledged(overQuota, REPORTS_IN_THE_BURST);
            overQuota.send(report(UUID.randomUUID()));
            assertThat(overQuota.nextOfType("error").path("code").asString()).isEqualTo("rate_limited");

            sendAcknowledged(underQuota, REPORTS_IN_THE_BURST);
            underQuota.send("{\"type\":\"i_am_alive\",\"seq\":1}");
            underQuota.send("{\"type\":\"provisioning_request\"}");
            assertThat(underQuota.nextOfType("provisioning").path("data").path("orchestrator_id").asString())
                    .isEqualTo(quiet.id());
            assertThat(underQuota.isClosed()).isFalse();
        }
    }

    /** Sends this many reports at once and waits until each is acknowledged. */
    private static void sendAcknowledged(TestOrchestrator orchestrator, int count) throws InterruptedException {
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            orchestrator.send(report(id));
            sent.add(id.toString());
        }
        Set<String> acknowledged = new HashSet<>();
        for (int i = 0; i < count; i++) {
            acknowledged.add(orchestrator.nextOfType("report_ack").path("message_id").asString());
        }
        assertThat(acknowledged).isEqualTo(sent);
    }

    /** A monitoring report of exactly {@link #REPORT_BYTES} characters. */
    private static String report(UUID id) {
        String prefix = "{\"type\":\"monitoring_report\",\"message_id\":\"" + id + "\",\"data\":{\"blob\":\"";
        String suffix = "\"}}";
        return prefix + "x".repeat(REPORT_BYTES - prefix.length() - suffix.length()) + suffix;
    }

    private double bytesRefused() {
        Counter counter = meters.find("edge.bytes.refused").counter();
        return counter == null ? 0 : counter.count();
    }
}
