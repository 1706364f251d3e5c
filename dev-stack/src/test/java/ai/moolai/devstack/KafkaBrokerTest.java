package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.moolai.process.ChildProcess;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.util.TestSocketUtils;

/** The stack's broker is a real KRaft broker in its own JVM that keeps its data across restarts. */
class KafkaBrokerTest {

    @TempDir
    Path directory;

    @Test
    void startsWithEveryTopicAndRestartsOnTheSameStorage() throws Exception {
        KafkaBroker broker = new KafkaBroker(directory, System.getProperty("java.class.path"),
                TestSocketUtils.findAvailableTcpPort(), TestSocketUtils.findAvailableTcpPort(), null);
        Path log = directory.resolve("kafka.log");

        ChildProcess first = broker.start(log);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).containsAll(Topics.toCreate().keySet());
            TopicDescription heartbeats = admin.describeTopics(List.of(Topics.HEARTBEATS.name()))
                    .allTopicNames().get().get(Topics.HEARTBEATS.name());
            assertThat(heartbeats.partitions()).hasSize(KafkaBroker.LAYOUT.partitions());
            var liveness = new ConfigResource(ConfigResource.Type.TOPIC, Topics.LIVENESS.name());
            assertThat(admin.describeConfigs(List.of(liveness)).all().get().get(liveness)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
        first.stop(Duration.ofSeconds(30));
        assertThat(first.process().isAlive()).isFalse();
        assertThat(Files.exists(directory.resolve("data/meta.properties"))).isTrue();

        ChildProcess second = broker.start(log);
        try {
            assertThat(Files.readString(log)).containsOnlyOnce("Formatting");
        } finally {
            second.stop(Duration.ofSeconds(30));
        }
    }
}
