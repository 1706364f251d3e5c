package ai.moolai.service.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.moolai.protocol.kafka.TopicLayout;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.util.TestSocketUtils;

/**
 * The contract's topics are created with the configured layout, and a service refuses to start on
 * topics that are not as the contract defines them, or on a Kafka that does not answer, saying why.
 */
class ContractTopicsTest {

    private static ContractTopics on(String bootstrapServers, Integer partitions, Duration timeout) {
        return new ContractTopics(new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)),
                new TopicsProperties(partitions, null, null, timeout));
    }

    @Test
    void createsAndChecksEveryTopicWithTheLayoutForItsCluster() throws Exception {
        TopicLayout layout = on(TestKafka.bootstrapServers(), TopicLayout.DEFAULT_PARTITIONS, Duration.ofSeconds(30))
                .ensure(Topics.toCreate().keySet());

        assertThat(layout).as("one broker: one replica").isEqualTo(new TopicLayout(12, (short) 1, 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            assertThat(admin.describeTopics(List.of(Topics.HEARTBEATS.name(), Topics.EDGE_BEACONS.name(),
                    Topics.LIVENESS_RESTORE.name())).allTopicNames().get().values())
                    .allSatisfy(topic -> assertThat(topic.partitions()).hasSize(12));
        }
    }

    @Test
    void refusesTopicsOfAnotherLayoutSayingWhatDiffersAndHowToPutItRight() {
        ContractTopics expectingFive = on(TestKafka.bootstrapServers(), 5, Duration.ofSeconds(30));

        assertThatThrownBy(() -> expectingFive.ensure(List.of(Topics.HEARTBEATS.name(), Topics.SESSION_EVENTS.name())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("orchestrator.heartbeats.v1 has 12 partitions, not 5")
                .hasMessageContaining("orchestrator.session-events.v1 has 12 partitions, not 5")
                .hasMessageContaining("MOOLI_TOPICS_PARTITIONS");
    }

    @Test
    void refusesToStartWhenKafkaDoesNotAnswer() {
        ContractTopics nowhere = on("127.0.0.1:" + TestSocketUtils.findAvailableTcpPort(), 12, Duration.ofSeconds(2));

        assertThatThrownBy(() -> nowhere.ensure(Topics.toCreate().keySet()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not tell within PT2S how its topics are");
    }
}
