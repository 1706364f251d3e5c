package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import ai.moolai.process.ChildProcess;
import ai.moolai.protocol.kafka.TopicLayout;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's broker is a real KRaft broker in its own JVM that keeps its data across restarts;
 * three of them form a cluster whose topics are replicated three times, two in sync.
 */
class KafkaBrokerTest {

    @TempDir
    Path directory;

    @Test
    void startsWithEveryTopicAndRestartsOnTheSameStorage() throws Exception {
        List<DevStack.BrokerPorts> alone = List.of(freeBrokerPorts());
        KafkaBroker broker = new KafkaBroker(1, alone, directory, System.getProperty("java.class.path"), null,
                () -> Uuid.randomUuid().toString());
        Path log = directory.resolve("kafka.log");

        ChildProcess first = broker.start("kafka", log);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(alone)))) {
            assertThat(admin.listTopics().names().get()).containsAll(Topics.toCreate().keySet());
            TopicDescription heartbeats = admin.describeTopics(List.of(Topics.HEARTBEATS.name()))
                    .allTopicNames().get().get(Topics.HEARTBEATS.name());
            assertThat(heartbeats.partitions()).hasSize(TopicLayout.DEFAULT_PARTITIONS);
            assertThat(heartbeats.partitions().get(0).replicas()).hasSize(1);
            var liveness = new ConfigResource(ConfigResource.Type.TOPIC, Topics.LIVENESS.name());
            assertThat(admin.describeConfigs(List.of(liveness)).all().get().get(liveness)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
        first.stop(Duration.ofSeconds(30));
        assertThat(first.process().isAlive()).isFalse();
        assertThat(Files.exists(directory.resolve("data/meta.properties"))).isTrue();

        ChildProcess second = broker.start("kafka", log);
        try {
            assertThat(Files.readString(log)).containsOnlyOnce("Formatting");
        } finally {
            second.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void threeNodesFormOneClusterWithTopicsReplicatedThreeTimesTwoInSync() throws Exception {
        List<DevStack.BrokerPorts> cluster = List.of(freeBrokerPorts(), freeBrokerPorts(), freeBrokerPorts());
        String clusterId = Uuid.randomUuid().toString();
        List<CompletableFuture<ChildProcess>> nodes = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            Path home = directory.resolve("kafka-" + node);
            KafkaBroker broker = new KafkaBroker(node, cluster, home, System.getProperty("java.class.path"), null, () -> clusterId);
            nodes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return broker.start(home.getFileName().toString(), directory.resolve(home.getFileName() + ".log"));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(cluster)))) {
            CompletableFuture.allOf(nodes.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
            assertThat(admin.describeCluster().nodes().get()).hasSize(3);
            TopicDescription heartbeats = admin.describeTopics(List.of(Topics.HEARTBEATS.name()))
                    .allTopicNames().get().get(Topics.HEARTBEATS.name());
            assertThat(heartbeats.partitions()).hasSize(TopicLayout.DEFAULT_PARTITIONS)
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.HEARTBEATS.name());
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("2");
            for (int node = 1; node <= 3; node++) {
                assertThat(KafkaBroker.formattedClusterId(directory.resolve("kafka-" + node))).contains(clusterId);
            }
        } finally {
            CompletableFuture.allOf(nodes.stream()
                    .map(node -> node.thenAcceptAsync(process -> process.stop(Duration.ofSeconds(30))).exceptionally(failure -> null))
                    .toArray(CompletableFuture[]::new)).join();
        }
    }

    private static DevStack.BrokerPorts freeBrokerPorts() {
        return new DevStack.BrokerPorts(FreePorts.next(), FreePorts.next());
    }
}
