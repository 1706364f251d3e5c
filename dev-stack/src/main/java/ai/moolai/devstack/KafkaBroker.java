package ai.moolai.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ai.moolai.process.ChildProcess;
import ai.moolai.process.Log;
import ai.moolai.protocol.kafka.TopicLayout;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real KRaft broker (broker and controller in one JVM) from the {@code kafka_2.13} jars, alone or
 * one node of a cluster, with its data in a folder that survives restarts. Once every node of the
 * cluster is up, every topic of the contract is created.
 */
final class KafkaBroker {

    private final int nodeId;
    private final List<DevStack.BrokerPorts> cluster;
    private final Path directory;
    private final String classpath;
    private final DevStack.EdgeKafka edgeKafka;
    private final Supplier<String> clusterId;

    /**
     * @param nodeId    this node's id, from 1: its ports are {@code cluster.get(nodeId - 1)}
     * @param cluster   every node's ports, this one's included
     * @param directory where its configuration, data and log live
     * @param classpath a classpath holding the broker's jars
     * @param edgeKafka a listener for ws-edge alone, or {@code null}
     * @param clusterId the cluster's id, for formatting new storage
     */
    KafkaBroker(int nodeId, List<DevStack.BrokerPorts> cluster, Path directory, String classpath,
                DevStack.EdgeKafka edgeKafka, Supplier<String> clusterId) {
        this.nodeId = nodeId;
        this.cluster = cluster;
        this.directory = directory;
        this.classpath = classpath;
        this.edgeKafka = edgeKafka;
        this.clusterId = clusterId;
    }

    /** The layout every service expects on this cluster, unless told otherwise: the contract's topics are created with it. */
    static TopicLayout layout(int brokers) {
        return TopicLayout.forCluster(TopicLayout.DEFAULT_PARTITIONS, brokers);
    }

    /** Every node's client address: what every client is given. */
    static String bootstrapServers(List<DevStack.BrokerPorts> cluster) {
        return cluster.stream().map(node -> "127.0.0.1:" + node.client()).collect(Collectors.joining(","));
    }

    /** The cluster id in a node's storage, if it was formatted. */
    static Optional<String> formattedClusterId(Path directory) throws IOException {
        Path meta = directory.resolve("data/meta.properties");
        if (!Files.exists(meta)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(meta)) {
            properties.load(reader);
        }
        return Optional.ofNullable(properties.getProperty("cluster.id"));
    }

    private DevStack.BrokerPorts ports() {
        return cluster.get(nodeId - 1);
    }

    /**
     * Formats the storage on first start, starts the broker and waits until it has joined the
     * cluster; the last node to join creates the topics.
     */
    ChildProcess start(String name, Path log) throws IOException, InterruptedException, ExecutionException {
        Path config = writeConfiguration();
        if (formattedClusterId(directory).isEmpty()) {
            format(config, log);
        }
        ChildProcess broker = ChildProcess.start(name, java("kafka.Kafka", config.toString()), Map.of(), log);
        broker.awaitReady(this::joined, Duration.ofSeconds(120));
        createTopicsOnceComplete(name);
        return broker;
    }

    /** Deletes its data, as a disaster would: its next start formats new storage and creates the topics afresh. */
    void deleteData() {
        Path data = directory.resolve("data");
        Log.info("kafka", "deleting its data in " + data);
        try (var paths = Files.walk(data)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format(Path config, Path log) throws IOException, InterruptedException {
        Log.info("kafka", "formatting storage in " + directory.resolve("data"));
        ChildProcess.start("kafka-format",
                java("kafka.tools.StorageTool", "format", "-t", clusterId.get(), "-c", config.toString()),
                Map.of(), log).awaitExit(Duration.ofSeconds(120));
    }

    private List<String> java(String mainClass, String... args) {
        var command = new ArrayList<>(List.of(
                ChildProcess.jdkTool("java"),
                "-Xms256m", "-Xmx768m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"),
                "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private boolean joined() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).stream().anyMatch(node -> node.id() == nodeId);
        }
    }

    private void createTopicsOnceComplete(String name) throws InterruptedException, ExecutionException {
        try (Admin admin = admin()) {
            if (admin.describeCluster().nodes().get().size() < cluster.size()) {
                return;
            }
            int created = Topics.createMissing(admin, layout(cluster.size()));
            Log.info(name, "topics: " + Topics.toCreate().size() + " present (" + created + " created)");
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ports().client(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    private Path writeConfiguration() throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("log4j2.properties"), """
                status = warn
                appender.stderr.type = Console
                appender.stderr.name = STDERR
                appender.stderr.target = SYSTEM_ERR
                appender.stderr.layout.type = PatternLayout
                appender.stderr.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = INFO
                rootLogger.appenderRef.stderr.ref = STDERR
                logger.state.name = state.change.logger
                logger.state.level = WARN
                """);
        Path config = directory.resolve("server.properties");
        int replicas = Math.min(cluster.size(), 3);
        Files.writeString(config, """
                process.roles=broker,controller
                node.id=%1$d
                controller.quorum.voters=%4$s
                listeners=PLAINTEXT://127.0.0.1:%2$d,CONTROLLER://127.0.0.1:%3$d%8$s
                advertised.listeners=PLAINTEXT://127.0.0.1:%2$d%9$s
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,EDGE:PLAINTEXT
                log.dirs=%5$s
                num.partitions=%6$d
                auto.create.topics.enable=false
                offsets.topic.replication.factor=%7$d
                transaction.state.log.replication.factor=%7$d
                transaction.state.log.min.isr=%10$d
                share.coordinator.state.topic.replication.factor=%7$d
                share.coordinator.state.topic.min.isr=%10$d
                default.replication.factor=%7$d
                min.insync.replicas=%10$d
                group.initial.rebalance.delay.ms=0
                """.formatted(nodeId, ports().client(), ports().controller(),
                IntStream.range(0, cluster.size())
                        .mapToObj(i -> (i + 1) + "@127.0.0.1:" + cluster.get(i).controller())
                        .collect(Collectors.joining(",")),
                directory.resolve("data"), TopicLayout.DEFAULT_PARTITIONS, replicas,
                edgeKafka == null ? "" : ",EDGE://127.0.0.1:" + edgeKafka.listenerPort(),
                edgeKafka == null ? "" : ",EDGE://127.0.0.1:" + edgeKafka.advertisedPort(),
                layout(cluster.size()).minInsyncReplicas()));
        return config;
    }
}
