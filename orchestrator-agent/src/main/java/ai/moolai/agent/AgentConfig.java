package ai.moolai.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How an agent runs, from the seed's variable names (the process environment wins over the
 * {@code .env} file): {@code CONTROLLER_WS_URL} (or {@code CONTROLLER_HOST}, {@code CONTROLLER_PORT},
 * {@code CONTROLLER_WS_PATH}), {@code ORCHESTRATOR_ID}, {@code ORCHESTRATOR_TOKEN},
 * {@code WEBSOCKET_KEEPALIVE_INTERVAL}, {@code ORCHESTRATOR_ENV_FILE}, {@code ORCHESTRATOR_INDEPENDENT},
 * {@code ORCHESTRATOR_PRIVACY_MODE}, {@code INDEPENDENCE_POLL_INTERVAL_SEC}; and the agent's own
 * {@code AGENT_QUEUE_DIR}, {@code AGENT_QUEUE_CAPACITY}, {@code AGENT_BACKOFF_BASE_MS},
 * {@code AGENT_BACKOFF_MAX_SEC}, {@code AGENT_HEALTHY_AFTER_SEC}.
 *
 * @param controllerUrl  the edge's WebSocket URL
 * @param orchestratorId this orchestrator's id
 * @param token          its token
 * @param keepalive      the heartbeat interval
 * @param envFile        the {@code .env} the agent maintains
 * @param independent    whether it starts independent (polling instead of connecting)
 * @param privacyMode    its privacy mode
 * @param pollInterval   how often an independent agent polls
 * @param queueDir       where unacknowledged reports wait
 * @param queueCapacity  how many reports may wait
 * @param backoffBase    the first reconnect delay's ceiling
 * @param backoffCap     the largest reconnect delay
 * @param healthyAfter   how long a session must last for the backoff to reset
 */
public record AgentConfig(URI controllerUrl, String orchestratorId, String token, Duration keepalive, Path envFile,
                          boolean independent, boolean privacyMode, Duration pollInterval, Path queueDir,
                          int queueCapacity, Duration backoffBase, Duration backoffCap, Duration healthyAfter) {

    public AgentConfig {
        if (orchestratorId == null || orchestratorId.isBlank()) {
            throw new IllegalArgumentException("ORCHESTRATOR_ID is required");
        }
    }

    /** From variables, as the runnable agent reads them. */
    public static AgentConfig from(Map<String, String> variables) {
        Path envFile = Path.of(variables.getOrDefault("ORCHESTRATOR_ENV_FILE", ".env"));
        String url = variables.get("CONTROLLER_WS_URL");
        if (url == null || url.isBlank()) {
            url = "ws://" + variables.getOrDefault("CONTROLLER_HOST", "localhost") + ":"
                    + variables.getOrDefault("CONTROLLER_PORT", "8765") + variables.getOrDefault("CONTROLLER_WS_PATH", "/ws");
        }
        return new AgentConfig(URI.create(url), variables.get("ORCHESTRATOR_ID"), variables.get("ORCHESTRATOR_TOKEN"),
                Duration.ofSeconds(Long.parseLong(variables.getOrDefault("WEBSOCKET_KEEPALIVE_INTERVAL", "10"))),
                envFile, Boolean.parseBoolean(variables.getOrDefault("ORCHESTRATOR_INDEPENDENT", "false")),
                Boolean.parseBoolean(variables.getOrDefault("ORCHESTRATOR_PRIVACY_MODE", "false")),
                Duration.ofSeconds(Long.parseLong(variables.getOrDefault("INDEPENDENCE_POLL_INTERVAL_SEC", "30"))),
                Path.of(variables.getOrDefault("AGENT_QUEUE_DIR",
                        envFile.toAbsolutePath().resolveSibling(".mooli-reports").toString())),
                Integer.parseInt(variables.getOrDefault("AGENT_QUEUE_CAPACITY", "10000")),
                Duration.ofMillis(Long.parseLong(variables.getOrDefault("AGENT_BACKOFF_BASE_MS", "500"))),
                Duration.ofSeconds(Long.parseLong(variables.getOrDefault("AGENT_BACKOFF_MAX_SEC", "30"))),
                Duration.ofSeconds(Long.parseLong(variables.getOrDefault("AGENT_HEALTHY_AFTER_SEC", "30"))));
    }

    /** The edge's independence poll for this orchestrator. */
    public URI pollUri() {
        String scheme = controllerUrl.getScheme().equals("wss") ? "https" : "http";
        return URI.create(scheme + "://" + controllerUrl.getHost() + ":" + controllerUrl.getPort()
                + "/api/v1/internal/orchestrators/" + orchestratorId + "/independence");
    }
}
