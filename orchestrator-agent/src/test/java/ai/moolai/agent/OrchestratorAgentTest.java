package ai.moolai.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.moolai.edge.WsEdgeApplication;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.EnrolmentRefusal;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Report;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.process.ChildProcess;
import ai.moolai.protocol.ws.Recommendation;
import ai.moolai.service.tracing.Traces;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.TestSocketUtils;

/** The agent against a real ws-edge on the embedded broker. */
class OrchestratorAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int EDGE_PORT = TestSocketUtils.findAvailableTcpPort();
    private static ConfigurableApplicationContext edge;

    @TempDir
    Path folder;

    private String id;
    private String token;
    private long version;
    private final List<OrchestratorAgent> agents = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startEdge() {
        edge = edge();
    }

    @AfterAll
    static void stopEdge() {
        edge.close();
    }

    private static ConfigurableApplicationContext edge() {
        return new SpringApplicationBuilder(WsEdgeApplication.class).run("--server.port=" + EDGE_PORT,
                "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(), "--edge.independent-close-grace=5s");
    }

    @BeforeEach
    void register() {
        id = "agent-" + UUID.randomUUID().toString().substring(0, 8);
        token = Credentials.newToken();
        version = 0;
        publish(false);
    }

    @AfterEach
    void closeAgents() {
        agents.forEach(OrchestratorAgent::close);
    }

    private void publish(boolean independent) {
        version++;
        TestKafka.send(Topics.DESIRED_STATE, id, new DesiredState(id, "acme", "Acme", "eu-1", null, independent, false,
                version, Credentials.hash(token), false, Instant.now()));
        Awaitility.await().atMost(WAIT).until(() -> pollSays("\"version\":" + version));
    }

    private boolean pollSays(String text) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + EDGE_PORT + "/api/v1/internal/orchestrators/" + id + "/independence"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 && response.body().contains(text);
    }

    private AgentConfig config(int port, boolean independent) {
        return config(List.of(port), independent);
    }

    private AgentConfig config(List<Integer> ports, boolean independent) {
        return new AgentConfig(ports.stream().map(port -> URI.create("ws://localhost:" + port + "/ws")).toList(), id, token,
                Duration.ofMillis(500),
                folder.resolve(".env"), independent, false, Duration.ofMillis(200), folder.resolve("queue"), 100,
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), false, null);
    }

    private OrchestratorAgent agent(AgentConfig config, Recorder recorder) throws IOException {
        OrchestratorAgent agent = OrchestratorAgent.create(config, recorder);
        agents.add(agent);
        agent.start();
        return agent;
    }

    /** What the agent told its listener. */
    static final class Recorder implements OrchestratorAgent.Listener {
        final AtomicInteger connections = new AtomicInteger();
        final List<Duration> retries = new CopyOnWriteArrayList<>();
        final List<String> retryReasons = new CopyOnWriteArrayList<>();
        final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
        final List<String> stops = new CopyOnWriteArrayList<>();

        @Override
        public void connected(String sessionId) {
            connections.incrementAndGet();
        }

        @Override
        public void retrying(Duration delay, String why) {
            retries.add(delay);
            retryReasons.add(why);
        }

        @Override
        public void disconnected(int code, String reason) {
            closeCodes.add(code);
        }

        @Override
        public void stopped(String why) {
            stops.add(why);
        }

        final AtomicInteger waits = new AtomicInteger();
        final AtomicInteger enrolments = new AtomicInteger();

        @Override
        public void waitingForApproval(String sessionId) {
            waits.incrementAndGet();
        }

        @Override
        public void enrolled() {
            enrolments.incrementAndGet();
        }
    }

    /**
     * Without a token the agent enrols: it makes a key, keeps it in its {@code .env}, and waits, its
     * reports on disk; an admin's approval hands the key back as its token, which it keeps in place of
     * the key, and the waiting session is admitted. Restarted, it connects with that token.
     */
    @Test
    void enrolsWithoutATokenAndKeepsTheTokenAnAdminApproves() throws Exception {
        id = "enrolling-" + UUID.randomUUID().toString().substring(0, 8);
        token = null;
        Files.writeString(folder.resolve(".env"), "# mine\nORCHESTRATOR_ID=" + id + "\n");
        Recorder recorder = new Recorder();
        OrchestratorAgent agent = agent(config(EDGE_PORT, false), recorder);
        Awaitility.await().atMost(WAIT).until(() -> recorder.waits.get() == 1);
        String key = new EnvFile(folder.resolve(".env")).read().get("ORCHESTRATOR_ENROLMENT_KEY");
        assertThat(key).hasSizeGreaterThanOrEqualTo(32);
        UUID waitingReport = agent.report(Json.events().readTree("{\"cpu_pct\":3}"));
        assertThat(agent.isConnected()).isFalse();
        assertThat(agent.pendingReports()).isEqualTo(1);

        try (TopicProbe<Report> reports = TopicProbe.of(Topics.REPORTS)) {
            TestKafka.send(Topics.DESIRED_STATE, id, new DesiredState(id, "acme", "Acme", "eu-1", null, false, false, 1,
                    Credentials.hash(key), false, Instant.now()));

            Awaitility.await().atMost(WAIT).until(() -> recorder.enrolments.get() == 1 && agent.pendingReports() == 0);
            assertThat(recorder.connections).as("admitted in place").hasValue(1);
            assertThat(reports.valuesNow(id)).extracting(Report::messageId).containsExactly(waitingReport);
        }
        Map<String, String> env = new EnvFile(folder.resolve(".env")).read();
        assertThat(env).containsEntry("ORCHESTRATOR_TOKEN", key).containsEntry("ORCHESTRATOR_ENROLMENT_KEY", "")
                .containsEntry("ORCHESTRATOR_ID", id);
        assertThat(Files.readString(folder.resolve(".env"))).startsWith("# mine\n");
        agent.close();

        token = env.get("ORCHESTRATOR_TOKEN");
        Recorder restarted = new Recorder();
        agent(config(EDGE_PORT, false), restarted);
        Awaitility.await().atMost(WAIT).until(() -> restarted.connections.get() == 1);
        assertThat(restarted.waits).hasValue(0);
    }

    @Test
    void stopsWhenAnAdminRejectsItsEnrolment() throws Exception {
        id = "stranger-" + UUID.randomUUID().toString().substring(0, 8);
        token = null;
        Recorder recorder = new Recorder();
        OrchestratorAgent agent = agent(config(EDGE_PORT, false), recorder);
        Awaitility.await().atMost(WAIT).until(() -> recorder.waits.get() == 1);

        TestKafka.send(Topics.ENROLMENT_REFUSALS, id, new EnrolmentRefusal(id, Instant.now().plusSeconds(3600), Instant.now()));

        Awaitility.await().atMost(WAIT).until(agent::isStopped);
        assertThat(recorder.closeCodes).containsExactly(4403);
        assertThat(recorder.stops).singleElement().satisfies(why -> assertThat(why).contains("rejected"));
    }

    @Test
    void heartbeatsAndReconnectsWithBackoffWhenTheEdgeRestarts() throws Exception {
        Recorder recorder = new Recorder();
        try (TopicProbe<Heartbeat> heartbeats = TopicProbe.of(Topics.HEARTBEATS)) {
            agent(config(EDGE_PORT, false), recorder);
            Awaitility.await().atMost(WAIT).until(() -> heartbeats.values(id).size() >= 2);

            edge.close();
            Awaitility.await().atMost(WAIT).until(() -> recorder.retries.size() >= 3);
            assertThat(recorder.closeCodes).contains(1001);
            assertThat(recorder.retries).allSatisfy(delay -> assertThat(delay).isLessThanOrEqualTo(Duration.ofSeconds(1)));

            edge = edge();
            Awaitility.await().atMost(WAIT).until(() -> recorder.connections.get() == 2);
            int before = heartbeats.values(id).size();
            Awaitility.await().atMost(WAIT).until(() -> heartbeats.values(id).size() > before);
        }
    }

    @Test
    void failsOverToTheNextEdgeOfItsList() throws Exception {
        Recorder recorder = new Recorder();
        int nowhere = TestSocketUtils.findAvailableTcpPort();

        agent(config(List.of(nowhere, EDGE_PORT), false), recorder);

        Awaitility.await().atMost(WAIT).until(() -> recorder.connections.get() == 1);
        assertThat(recorder.retryReasons).as("the first edge did not answer")
                .anySatisfy(reason -> assertThat(reason).contains("localhost:" + nowhere));
    }

    @Test
    void keepsReportsOnDiskUntilAcknowledgedAcrossAnAgentRestart() throws Exception {
        OrchestratorAgent offline = agent(config(TestSocketUtils.findAvailableTcpPort(), false), new Recorder());
        UUID monitoring = offline.report(Json.events().readTree("{\"cpu_pct\":12.5}"));
        UUID recommendation = offline.recommend(new Recommendation.Data("Enable cache", null,
                "warning", "performance", null));
        assertThat(offline.pendingReports()).isEqualTo(2);
        offline.close();

        try (TopicProbe<Report> reports = TopicProbe.of(Topics.REPORTS)) {
            OrchestratorAgent online = agent(config(EDGE_PORT, false), new Recorder());
            Awaitility.await().atMost(WAIT).until(() -> online.pendingReports() == 0);
            assertThat(reports.valuesNow(id)).extracting(Report::messageId).contains(monitoring, recommendation);
        }
        try (var left = Files.list(folder.resolve("queue"))) {
            assertThat(left).isEmpty();
        }
    }

    /**
     * A backlog larger than the edge's burst of 40 messages: sent at once it would be cut by the
     * rate limit, and the dropped reports would wait for the next session. Paced, every one of them
     * is acknowledged in this session.
     */
    @Test
    void drainsABacklogLargerThanTheEdgesBurstWithinItsRateAndEveryReportIsAcknowledged() throws Exception {
        OrchestratorAgent offline = agent(config(TestSocketUtils.findAvailableTcpPort(), false), new Recorder());
        List<UUID> backlog = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            backlog.add(offline.report(Json.events().readTree("{\"sequence\":" + i + "}")));
        }
        offline.close();

        try (TopicProbe<Report> reports = TopicProbe.of(Topics.REPORTS)) {
            Recorder recorder = new Recorder();
            OrchestratorAgent online = agent(config(EDGE_PORT, false), recorder);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> online.pendingReports() == 0);
            assertThat(recorder.connections).as("in one session").hasValue(1);
            assertThat(reports.valuesNow(id)).extracting(Report::messageId).containsAll(backlog);
        }
    }

    @Test
    void refusesAtOnceAReportTheControllerCouldNotStore() throws Exception {
        OrchestratorAgent agent = agent(config(TestSocketUtils.findAvailableTcpPort(), false), new Recorder());
        assertThatThrownBy(() -> agent.report(Json.events().readTree("{\"note\":\"a\\u0000b\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.note");
        assertThat(agent.pendingReports()).isZero();
    }

    @Test
    void goesIndependentRewritingItsEnvAndComesBackWhenTurnedOff() throws Exception {
        Files.writeString(folder.resolve(".env"), "# mine\nORCHESTRATOR_ID=" + id + "\nORCHESTRATOR_INDEPENDENT=false\n");
        Recorder recorder = new Recorder();
        try (TopicProbe<SessionEvent> events = TopicProbe.of(Topics.SESSION_EVENTS)) {
            agent(config(EDGE_PORT, false), recorder);
            Awaitility.await().atMost(WAIT).until(() -> recorder.connections.get() == 1);

            publish(true);
            SessionEvent acked = events.await(id, event -> event.kind() == SessionEvent.Kind.INDEPENDENCE_ACKED);
            assertThat(acked.independenceVersion()).isEqualTo(version);
            Awaitility.await().atMost(WAIT).until(() -> recorder.closeCodes.contains(1000));
            assertThat(Files.readString(folder.resolve(".env"))).startsWith("# mine\nORCHESTRATOR_ID=" + id)
                    .contains("ORCHESTRATOR_INDEPENDENT=true");
            assertThat(events.await(id, event -> event.kind() == SessionEvent.Kind.DISCONNECTED).closedBy())
                    .isEqualTo(SessionEvent.ClosedBy.ORCHESTRATOR);

            publish(false);
            Awaitility.await().atMost(WAIT).until(() -> recorder.connections.get() == 2);
            assertThat(new EnvFile(folder.resolve(".env")).read()).containsEntry("ORCHESTRATOR_INDEPENDENT", "false");
        }
    }

    /** The admin's trace reaches the agent in independence_update, and its ack brings it back: the ack's record carries it. */
    @Test
    void echoesTheTraceOfTheUpdateInItsAcknowledgement() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        Recorder recorder = new Recorder();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SESSION_EVENTS.name()).stream()
                    .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            agent(config(EDGE_PORT, false), recorder);
            Awaitility.await().atMost(WAIT).until(() -> recorder.connections.get() == 1);

            version++;
            ProducerRecord<String, DesiredState> independent = new ProducerRecord<>(Topics.DESIRED_STATE.name(), id,
                    new DesiredState(id, "acme", "Acme", "eu-1", null, true, false, version, Credentials.hash(token),
                            false, Instant.now()));
            independent.headers().add(Traces.TRACEPARENT, ("00-" + traceId + "-b7ad6b7169203331-01").getBytes(StandardCharsets.UTF_8));
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestKafka.bootstrapServers()), Topics.DESIRED_STATE.keySerde().serializer(),
                    Topics.DESIRED_STATE.valueSerde().serializer())) {
                producer.send(independent).get();
            }

            List<ConsumerRecord<String, byte[]>> acked = new ArrayList<>();
            Awaitility.await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (id.equals(record.key()) && Topics.SESSION_EVENTS.valueSerde().deserializer()
                            .deserialize(record.topic(), record.value()).kind() == SessionEvent.Kind.INDEPENDENCE_ACKED) {
                        acked.add(record);
                    }
                });
                return !acked.isEmpty();
            });
            assertThat(new String(acked.get(0).headers().lastHeader(Traces.TRACEPARENT).value(), StandardCharsets.UTF_8))
                    .as("the acknowledgement is in the admin's trace").startsWith("00-" + traceId + "-");
        }
    }

    @Test
    void startsPollingWhenStartedIndependent() throws Exception {
        Recorder recorder = new Recorder();
        publish(true);
        agent(config(EDGE_PORT, true), recorder);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> recorder.connections.get() == 0);

        publish(false);
        Awaitility.await().atMost(WAIT).until(() -> recorder.connections.get() == 1);
    }

    @Test
    void neverReconnectsAfter4403() throws Exception {
        Recorder recorder = new Recorder();
        OrchestratorAgent agent = agent(config(EDGE_PORT, false), recorder);
        Awaitility.await().atMost(WAIT).until(() -> recorder.connections.get() == 1);

        TestKafka.send(Topics.DESIRED_STATE, id, null);
        Awaitility.await().atMost(WAIT).until(agent::isStopped);
        assertThat(recorder.closeCodes).contains(4403);
        assertThat(recorder.stops).singleElement().satisfies(why -> assertThat(why).contains("4403"));
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> recorder.connections.get() == 1 && recorder.retries.isEmpty());
    }

    @Test
    void theRunnableAgentClosesCleanlyOnSigterm() throws Exception {
        Files.writeString(folder.resolve(".env"), "ORCHESTRATOR_ID=" + id + "\nORCHESTRATOR_TOKEN=" + token + "\n");
        try (TopicProbe<SessionEvent> events = TopicProbe.of(Topics.SESSION_EVENTS)) {
            ChildProcess agent = ChildProcess.start("agent", List.of(ChildProcess.jdkTool("java"),
                            "-cp", System.getProperty("java.class.path"), Main.class.getName()),
                    Map.of("ORCHESTRATOR_ENV_FILE", folder.resolve(".env").toString(),
                            "CONTROLLER_WS_URL", "ws://localhost:" + EDGE_PORT + "/ws",
                            "WEBSOCKET_KEEPALIVE_INTERVAL", "1"), folder.resolve("agent.log"));
            try {
                events.await(id, event -> event.kind() == SessionEvent.Kind.CONNECTED);
                agent.process().destroy();
                SessionEvent closed = events.await(id, event -> event.kind() == SessionEvent.Kind.DISCONNECTED);
                assertThat(closed.closedBy()).isEqualTo(SessionEvent.ClosedBy.ORCHESTRATOR);
                assertThat(closed.closeCode()).isEqualTo(1000);
                assertThat(agent.process().waitFor(20, TimeUnit.SECONDS)).as("the agent exits after closing").isTrue();
            } finally {
                agent.kill();
            }
        }
    }
}
