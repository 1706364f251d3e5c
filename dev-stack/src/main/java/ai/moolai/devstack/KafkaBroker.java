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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import ai.moolai.process.ChildProcess;
import ai.moolai.process.Log;
import ai.moolai.protocol.kafka.TopicLayout;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker (broker and controller in one JVM) from the {@code kafka_2.13}
 * jars, with its data in a folder that survives restarts, and every topic of the contract created.
 */
final class KafkaBroker {

    /** The layout every service expects on one broker, unless told otherwise: the contract's topics are created with it. */
    static final TopicLayout LAYOUT = TopicLayout.forCluster(TopicLayout.DEFAULT_PARTITIONS, 1);

    private final Path directory;
    private final String classpath;
    private final int port;
    private final int controllerPort;
    private final DevStack.EdgeKafka edgeKafka;

    /**
     * @param directory      where its configuration, data and log live
     * @param classpath      a classpath holding the broker's jars
     * @param port           the client port (9092 in the stack)
     * @param controllerPort the KRaft controller port
     * @param edgeKafka      a listener for ws-edge alone, or {@code null}
     */
    KafkaBroker(Path directory, String classpath, int port, int controllerPort, DevStack.EdgeKafka edgeKafka) {
        this.directory = directory;
        this.classpath = classpath;
        this.port = port;
        this.controllerPort = controllerPort;
        this.edgeKafka = edgeKafka;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the storage on first start, starts the broker, waits for it and creates the topics. */
    ChildProcess start(Path log) throws IOException, InterruptedException, ExecutionException {
        Path config = writeConfiguration();
        if (!Files.exists(directory.resolve("data/meta.properties"))) {
            format(config, log);
        }
        ChildProcess broker = ChildProcess.start("kafka", java("kafka.Kafka", config.toString()), Map.of(), log);
        broker.awaitReady(this::answers, Duration.ofSeconds(90));
        createTopics();
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
                java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
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

    private boolean answers() throws Exception {
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        }
    }

    private void createTopics() throws InterruptedException, ExecutionException {
        try (Admin admin = admin()) {
            int created = Topics.createMissing(admin, LAYOUT);
            Log.info("kafka", "topics: " + Topics.toCreate().size() + " present (" + created + " created)");
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
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
        Files.writeString(config, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d%5$s
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d%6$s
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,EDGE:PLAINTEXT
                log.dirs=%3$s
                num.partitions=%4$d
                auto.create.topics.enable=false
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(port, controllerPort, directory.resolve("data"), LAYOUT.partitions(),
                edgeKafka == null ? "" : ",EDGE://127.0.0.1:" + edgeKafka.listenerPort(),
                edgeKafka == null ? "" : ",EDGE://127.0.0.1:" + edgeKafka.advertisedPort()));
        return config;
    }
}
