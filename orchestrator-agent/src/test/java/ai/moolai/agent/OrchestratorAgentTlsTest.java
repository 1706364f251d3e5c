package ai.moolai.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ai.moolai.edge.WsEdgeApplication;
import ai.moolai.process.ChildProcess;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.TestKafka;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The agent against a ws-edge serving TLS with a self-signed certificate made for this test by
 * {@code keytool}: it connects when given that certificate as its CA, and not without it.
 */
class OrchestratorAgentTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "edge-test-keys";

    @TempDir
    static Path keys;

    private static ConfigurableApplicationContext edge;
    private static URI edgeUrl;
    private static Path ca;

    @TempDir
    Path folder;

    private String id;
    private String token;

    @BeforeAll
    static void startEdgeWithASelfSignedCertificate() throws Exception {
        Path keyStore = keys.resolve("edge.p12");
        ca = keys.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "edge", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "edge", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", ca.toString());
        edge = new SpringApplicationBuilder(WsEdgeApplication.class).run("--server.port=0",
                "--server.ssl.key-store=file:" + keyStore, "--server.ssl.key-store-type=PKCS12",
                "--server.ssl.key-store-password=" + PASSWORD,
                "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        edgeUrl = URI.create("wss://localhost:" + ((WebServerApplicationContext) edge).getWebServer().getPort() + "/ws");
    }

    @AfterAll
    static void stopEdge() {
        edge.close();
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ChildProcess.jdkTool("keytool")));
        command.addAll(List.of(arguments));
        ChildProcess.run(command, Duration.ofSeconds(60));
    }

    /** Registers an orchestrator and waits until the TLS edge knows it, asking over https with the CA. */
    @BeforeEach
    void register() throws Exception {
        id = "tls-" + UUID.randomUUID().toString().substring(0, 8);
        token = Credentials.newToken();
        TestKafka.send(Topics.DESIRED_STATE, id, new DesiredState(id, "acme", "Acme", "eu-1", null, false, false, 1,
                Credentials.hash(token), false, Instant.now()));
        HttpClient trusting = HttpClient.newBuilder().sslContext(ControllerTrust.of(ca)).build();
        HttpRequest poll = HttpRequest.newBuilder(config(ca, false).pollUri()).header("Authorization", "Bearer " + token).build();
        Awaitility.await().atMost(WAIT)
                .until(() -> trusting.send(poll, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    private AgentConfig config(Path caFile, boolean independent) {
        return new AgentConfig(List.of(edgeUrl), id, token, Duration.ofMillis(500), folder.resolve(".env"), independent, false,
                Duration.ofMillis(200), folder.resolve("queue"), 100, Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(1), false, caFile);
    }

    @Test
    void connectsOverWssWhenGivenTheEdgesCa() throws Exception {
        OrchestratorAgentTest.Recorder recorder = new OrchestratorAgentTest.Recorder();
        try (OrchestratorAgent agent = OrchestratorAgent.create(config(ca, false), recorder)) {
            agent.start();

            Awaitility.await().atMost(WAIT).until(agent::isConnected);
            assertThat(recorder.connections).hasValue(1);
            assertThat(recorder.retryReasons).isEmpty();
        }
    }

    /** Started independent, it polls over https, trusting the same CA, and connects when the poll says it is not. */
    @Test
    void pollsOverHttpsWhenGivenTheEdgesCa() throws Exception {
        OrchestratorAgentTest.Recorder recorder = new OrchestratorAgentTest.Recorder();
        try (OrchestratorAgent agent = OrchestratorAgent.create(config(ca, true), recorder)) {
            agent.start();

            Awaitility.await().atMost(WAIT).until(agent::isConnected);
            assertThat(new EnvFile(folder.resolve(".env")).read()).containsEntry("ORCHESTRATOR_INDEPENDENT", "false");
        }
    }

    @Test
    void refusesTheEdgeWithoutItsCaAndNeverConnects() throws Exception {
        OrchestratorAgentTest.Recorder recorder = new OrchestratorAgentTest.Recorder();
        try (OrchestratorAgent agent = OrchestratorAgent.create(config(null, false), recorder)) {
            agent.start();

            Awaitility.await().atMost(WAIT).until(() -> recorder.retryReasons.size() >= 2);
            assertThat(recorder.retryReasons).allSatisfy(why -> assertThat(why)
                    .startsWith("the TLS handshake with " + edgeUrl + " failed").contains("AGENT_TLS_CA_FILE"));
            assertThat(recorder.connections).hasValue(0);
            assertThat(agent.isConnected()).isFalse();
        }
    }
}
