package ai.moolai.control.events;

import java.time.Instant;

import ai.moolai.control.ControlApiApplication;
import ai.moolai.control.ControlApiTest;
import ai.moolai.control.SseClient;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TestDatabase;
import ai.moolai.testsupport.TestKafka;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two control-api replicas on one database and broker: a browser on either hears every change,
 * whichever replica saw it (an admin's action through one, liveness materialized by whichever
 * holds the partition).
 */
@ControlApiTest
class LiveEventsAcrossReplicasTest {

    @LocalServerPort
    private int port;

    @Test
    void theBrowsersOfEveryReplicaHearEveryChange() {
        TestDatabase database = TestDatabase.perRun();
        try (ConfigurableApplicationContext other = new SpringApplicationBuilder(ControlApiApplication.class)
                .profiles("test").run("--server.port=0", "--management.server.port=0",
                        "--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password())) {
            int otherPort = ((WebServerApplicationContext) other).getWebServer().getPort();
            try (SseClient here = SseClient.open(port, ApiClient.VIEWER).ready();
                 SseClient there = SseClient.open(otherPort, ApiClient.VIEWER).ready()) {
                String id = new ApiClient(port).createOrchestrator("replicated").orchestratorId();
                for (SseClient browser : new SseClient[] {here, there}) {
                    browser.awaitEvent(event -> "activity".equals(event.name()) && event.data().contains(id));
                }

                Instant now = Instant.now();
                TestKafka.send(Topics.LIVENESS, id, new Liveness(id, LivenessStatus.ACTIVE, LivenessReason.CONNECTED, now,
                        now, true, "s-1", "edge-1", null, null, now));
                for (SseClient browser : new SseClient[] {here, there}) {
                    browser.awaitEvent(event -> "fleet".equals(event.name()) && event.data().contains(id)
                            && event.data().contains("\"status\":\"ACTIVE\""));
                }
            }
        }
    }
}
