package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import ai.moolai.admin.Instance;
import ai.moolai.control.ControlApiApplication;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TestDatabase;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.TopicProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Demo orchestrators are provisioned through a real control-api: created once, their tokens rotated on a later run. */
class DemoFleetTest {

    @Test
    void createsDemoOrchestratorsThenRotatesTheirTokens() throws Exception {
        TestDatabase database = TestDatabase.create();
        try (ConfigurableApplicationContext api = new SpringApplicationBuilder(ControlApiApplication.class).run(
                "--server.port=0", "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(), "--controller.security.dev-bearer-token=" + ApiClient.ADMIN);
             TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            int port = ((WebServerApplicationContext) api).getWebServer().getPort();
            DemoFleet fleet = new DemoFleet(URI.create("http://127.0.0.1:" + port), ApiClient.ADMIN);

            List<Instance.WithToken> first = fleet.provision(2);
            List<Instance.WithToken> second = fleet.provision(2);

            assertThat(first).extracting(Instance.WithToken::orchestratorId).containsExactly("demo-1", "demo-2");
            assertThat(second).extracting(Instance.WithToken::orchestratorId).containsExactly("demo-1", "demo-2");
            for (int i = 0; i < 2; i++) {
                String token = second.get(i).token();
                assertThat(token).startsWith("mo_").isNotEqualTo(first.get(i).token());
                DesiredState latest = desired.await(second.get(i).orchestratorId(),
                        state -> state != null && state.version() == 2);
                assertThat(latest.credentialHash()).as("the edges learn the rotated token").isEqualTo(Credentials.hash(token));
            }
        }
    }
}
