package ai.moolai.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentConfigTest {

    private static AgentConfig from(String... keysAndValues) {
        Map<String, String> variables = new HashMap<>(Map.of("ORCHESTRATOR_ID", "orch-001"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            variables.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return AgentConfig.from(variables);
    }

    private static String poll(String host) {
        return host + "/api/v1/internal/orchestrators/orch-001/independence";
    }

    @Test
    void connectsToTheLocalEdgeByDefault() {
        AgentConfig config = from();

        assertThat(config.controllerUrl()).isEqualTo(URI.create("ws://localhost:8765/ws"));
        assertThat(config.pollUri()).isEqualTo(URI.create(poll("http://localhost:8765")));
    }

    @Test
    void buildsTheUrlFromHostPortAndPath() {
        AgentConfig config = from("CONTROLLER_HOST", "127.0.0.1", "CONTROLLER_PORT", "9000", "CONTROLLER_WS_PATH", "/");

        assertThat(config.controllerUrl()).isEqualTo(URI.create("ws://127.0.0.1:9000/"));
        assertThat(config.pollUri()).isEqualTo(URI.create(poll("http://127.0.0.1:9000")));
    }

    @Test
    void bracketsAnIpv6ControllerHost() {
        AgentConfig config = from("CONTROLLER_HOST", "::1");

        assertThat(config.controllerUrl()).isEqualTo(URI.create("ws://[::1]:8765/ws"));
        assertThat(config.pollUri()).isEqualTo(URI.create(poll("http://[::1]:8765")));
    }

    @Test
    void takesSeveralEdgesSeparatedByCommasAndChecksEach() {
        AgentConfig config = from("CONTROLLER_WS_URL", "wss://edge-a.example.com/ws, wss://edge-b.example.com/ws");
        assertThat(config.controllerUrls()).containsExactly(URI.create("wss://edge-a.example.com/ws"),
                URI.create("wss://edge-b.example.com/ws"));
        assertThat(config.pollUri(config.controllerUrls().get(1)))
                .isEqualTo(URI.create(poll("https://edge-b.example.com:443")));
        assertThatThrownBy(() -> from("CONTROLLER_WS_URL", "wss://edge-a.example.com/ws,ws://edge-b.example.com/ws"))
                .hasMessageContaining("ws://edge-b.example.com/ws is plain ws://");
    }

    @Test
    void pollsOnTheWebSocketUrlsOwnPort() {
        assertThat(from("CONTROLLER_WS_URL", "wss://edge.example.com:8443/ws").pollUri())
                .isEqualTo(URI.create(poll("https://edge.example.com:8443")));
        assertThat(from("CONTROLLER_WS_URL", "ws://localhost:8765/").pollUri())
                .isEqualTo(URI.create(poll("http://localhost:8765")));
    }

    @Test
    void pollsHttpsOnPort443WhenAWssUrlNamesNoPort() {
        assertThat(from("CONTROLLER_WS_URL", "wss://edge.example.com/ws").pollUri())
                .isEqualTo(URI.create(poll("https://edge.example.com:443")));
    }

    @Test
    void pollsHttpOnPort80WhenAWsUrlNamesNoPort() {
        assertThat(from("CONTROLLER_WS_URL", "ws://localhost/ws").pollUri())
                .isEqualTo(URI.create(poll("http://localhost:80")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://edge.example.com/ws", "ws://10.0.0.5:8765/ws", "ws://localhost.example.com/ws",
            "ws://128.0.0.1/ws", "ws://[::2]/ws"})
    void refusesPlainWsToAnotherMachine(String url) {
        assertThatThrownBy(() -> from("CONTROLLER_WS_URL", url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unencrypted").hasMessageContaining("wss://")
                .hasMessageContaining("AGENT_ALLOW_INSECURE=true");
    }

    @Test
    void refusesPlainWsToAnotherMachineNamedByHostAndPort() {
        assertThatThrownBy(() -> from("CONTROLLER_HOST", "edge.example.com", "CONTROLLER_PORT", "80"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AGENT_ALLOW_INSECURE=true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://localhost:8765/ws", "ws://LOCALHOST/ws", "ws://127.0.0.1:8765/ws", "ws://127.8.9.10/ws",
            "ws://[::1]:8765/ws", "ws://[0:0:0:0:0:0:0:1]/ws"})
    void allowsPlainWsToThisMachine(String url) {
        assertThat(from("CONTROLLER_WS_URL", url).controllerUrl()).isEqualTo(URI.create(url));
    }

    @Test
    void allowsPlainWsToAnotherMachineWhenExplicitlyAllowed() {
        AgentConfig config = from("CONTROLLER_WS_URL", "ws://edge.example.com/ws", "AGENT_ALLOW_INSECURE", "true");

        assertThat(config.allowInsecure()).isTrue();
        assertThat(config.pollUri()).isEqualTo(URI.create(poll("http://edge.example.com:80")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8765/ws", "https://edge.example.com/ws", "localhost:8765"})
    void refusesAUrlThatIsNotAWebSocketOne(String url) {
        assertThatThrownBy(() -> from("CONTROLLER_WS_URL", url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CONTROLLER_WS_URL must be ws://");
    }

    @Test
    void readsTheCaFileOnlyWhenOneIsNamed() {
        assertThat(from().tlsCaFile()).isNull();
        assertThat(from("AGENT_TLS_CA_FILE", "").tlsCaFile()).isNull();
        assertThat(from("CONTROLLER_WS_URL", "wss://edge.example.com/ws", "AGENT_TLS_CA_FILE", "/etc/mooli/ca.pem").tlsCaFile())
                .isEqualTo(Path.of("/etc/mooli/ca.pem"));
    }
}
