package ai.moolai.liveness.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import ai.moolai.liveness.topology.LivenessListener;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TestKafka;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application on the embedded broker with a bug planted in the topology's listener: the
 * record that meets it is not dead-lettered, the Streams client shuts down, and the application
 * says it is no longer alive, and why.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.streams.application-id=liveness-failure-it")
@ActiveProfiles("test")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class LivenessStreamsFailureIntegrationTest {

    static final String BUG = "a bug planted where independence is counted";

    @TempDir
    static Path stateDir;

    @LocalManagementPort
    private int managementPort;

    @DynamicPropertySource
    static void stateDir(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.streams.state-dir", stateDir::toString);
    }

    /** The topology's listener, failing as our own code would on the first orchestrator set independent. */
    @TestConfiguration
    static class PlantedBug {

        @Bean
        @Primary
        LivenessListener failingOnIndependence() {
            return new LivenessListener() {
                @Override
                public void transitioned(LivenessStatus from, LivenessStatus to) {
                    if (to == LivenessStatus.INDEPENDENT) {
                        throw new IllegalStateException(BUG);
                    }
                }
            };
        }
    }

    @Test
    void anErrorOfOurOwnShutsTheClientDownAndLivenessSaysWhy(CapturedOutput output) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> Http.get(managementPort, "/actuator/health/readiness").statusCode() == 200);
        assertThat(Http.get(managementPort, "/actuator/health/liveness").statusCode()).isEqualTo(200);

        String id = "bug-" + UUID.randomUUID().toString().substring(0, 8);
        TestKafka.send(Topics.DESIRED_STATE, id, new DesiredState(id, "acme", "Acme", "eu-1", null, true, false, 1, null, false,
                Instant.now()));

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> Http.get(managementPort, "/actuator/health/liveness").statusCode() == 503);
        HttpResponse<String> liveness = Http.get(managementPort, "/actuator/health/liveness", Http.MANAGEMENT_TOKEN);
        assertThat(liveness.body()).contains("\"status\":\"DOWN\"", "\"state\":\"ERROR\"", BUG);
        assertThat(Http.get(managementPort, "/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(Http.get(managementPort, "/actuator/health", Http.MANAGEMENT_TOKEN).body()).contains("\"liveness-stream\":\"dead: a stream thread failed");
        assertThat(output.getOut()).contains("a stream thread failed on an error of our own, shutting the client down");
        assertThat(output.getOut()).doesNotContain("key=" + id);
    }
}
