package ai.moolai.agent;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How an agent runs, from the seed's variable names (the process environment wins over the
 * {@code .env} file): {@code CONTROLLER_WS_URL} (or {@code CONTROLLER_HOST}, {@code CONTROLLER_PORT},
 * {@code CONTROLLER_WS_PATH}), {@code ORCHESTRATOR_ID}, {@code ORCHESTRATOR_TOKEN},
 * {@code WEBSOCKET_KEEPALIVE_INTERVAL}, {@code ORCHESTRATOR_ENV_FILE}, {@code ORCHESTRATOR_INDEPENDENT},
 * {@code ORCHESTRATOR_ENROLMENT_TOKEN},
 * {@code ORCHESTRATOR_PRIVACY_MODE}, {@code INDEPENDENCE_POLL_INTERVAL_SEC}; and the agent's own
 * {@code AGENT_QUEUE_DIR}, {@code AGENT_QUEUE_CAPACITY}, {@code AGENT_BACKOFF_BASE_MS},
 * {@code AGENT_BACKOFF_MAX_SEC}, {@code AGENT_HEALTHY_AFTER_SEC}, {@code AGENT_ALLOW_INSECURE},
 * {@code AGENT_TLS_CA_FILE}.
 *
 * <p>Plain {@code ws://} to a host other than this machine is refused unless {@code allowInsecure}:
 * the token and every report would cross the network unencrypted.
 *
 * @param controllerUrls the edges' WebSocket URLs, {@code ws://} or {@code wss://}: one, or several
 *                       ({@code CONTROLLER_WS_URL} separated by commas) to fail over between
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
 * @param allowInsecure  whether plain {@code ws://} to a host that is not loopback is allowed
 * @param tlsCaFile      PEM certificates of the authorities that alone are trusted to vouch for the
 *                       edge over {@code wss://}, or {@code null} for the JDK's
 * @param enrolmentToken without a token: an organization's enrolment token to enrol with
 *                       ({@code ORCHESTRATOR_ENROLMENT_TOKEN}), or {@code null}
 */
public record AgentConfig(List<URI> controllerUrls, String orchestratorId, String token, Duration keepalive, Path envFile,
                          boolean independent, boolean privacyMode, Duration pollInterval, Path queueDir,
                          int queueCapacity, Duration backoffBase, Duration backoffCap, Duration healthyAfter,
                          boolean allowInsecure, Path tlsCaFile, String enrolmentToken) {

    /** Without an enrolment token. */
    public AgentConfig(List<URI> controllerUrls, String orchestratorId, String token, Duration keepalive, Path envFile,
                       boolean independent, boolean privacyMode, Duration pollInterval, Path queueDir,
                       int queueCapacity, Duration backoffBase, Duration backoffCap, Duration healthyAfter,
                       boolean allowInsecure, Path tlsCaFile) {
        this(controllerUrls, orchestratorId, token, keepalive, envFile, independent, privacyMode, pollInterval, queueDir,
                queueCapacity, backoffBase, backoffCap, healthyAfter, allowInsecure, tlsCaFile, null);
    }

    /** 127.0.0.0/8; a name other than {@code localhost} is never resolved to decide. */
    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    public AgentConfig {
        if (orchestratorId == null || orchestratorId.isBlank()) {
            throw new IllegalArgumentException("ORCHESTRATOR_ID is required");
        }
        if (controllerUrls == null || controllerUrls.isEmpty()) {
            throw new IllegalArgumentException("CONTROLLER_WS_URL is required");
        }
        controllerUrls = List.copyOf(controllerUrls);
        for (URI controllerUrl : controllerUrls) {
            if (controllerUrl.getHost() == null || !"ws".equalsIgnoreCase(controllerUrl.getScheme())
                    && !"wss".equalsIgnoreCase(controllerUrl.getScheme())) {
                throw new IllegalArgumentException("CONTROLLER_WS_URL must be ws://HOST[:PORT]/PATH or wss://HOST[:PORT]/PATH"
                        + " (several separated by commas), not " + controllerUrl);
            }
            if (!allowInsecure && !"wss".equalsIgnoreCase(controllerUrl.getScheme()) && !isLoopback(controllerUrl.getHost())) {
                throw new IllegalArgumentException(controllerUrl + " is plain ws:// to " + controllerUrl.getHost()
                        + ", which is not this machine: the token and every report would cross the network unencrypted."
                        + " Use CONTROLLER_WS_URL=wss://…, or set AGENT_ALLOW_INSECURE=true to accept that");
            }
        }
    }

    /** The first of the edges' URLs. */
    public URI controllerUrl() {
        return controllerUrls.get(0);
    }

    /** From variables, as the runnable agent reads them. */
    public static AgentConfig from(Map<String, String> variables) {
        Path envFile = Path.of(variables.getOrDefault("ORCHESTRATOR_ENV_FILE", ".env"));
        String url = variables.get("CONTROLLER_WS_URL");
        if (url == null || url.isBlank()) {
            String host = variables.getOrDefault("CONTROLLER_HOST", "localhost");
            url = "ws://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":"
                    + variables.getOrDefault("CONTROLLER_PORT", "8765") + variables.getOrDefault("CONTROLLER_WS_PATH", "/ws");
        }
        String caFile = variables.get("AGENT_TLS_CA_FILE");
        List<URI> urls = Arrays.stream(url.split(",")).map(String::trim).filter(each -> !each.isEmpty())
                .map(URI::create).toList();
        return new AgentConfig(urls, variables.get("ORCHESTRATOR_ID"), variables.get("ORCHESTRATOR_TOKEN"),
                Duration.ofSeconds(Long.parseLong(variables.getOrDefault("WEBSOCKET_KEEPALIVE_INTERVAL", "10"))),
                envFile, Boolean.parseBoolean(variables.getOrDefault("ORCHESTRATOR_INDEPENDENT", "false")),
                Boolean.parseBoolean(variables.getOrDefault("ORCHESTRATOR_PRIVACY_MODE", "false")),
                Duration.ofSeconds(Long.parseLong(variables.getOrDefault("INDEPENDENCE_POLL_INTERVAL_SEC", "30"))),
                Path.of(variables.getOrDefault("AGENT_QUEUE_DIR",
                        envFile.toAbsolutePath().resolveSibling(".mooli-reports").toString())),
                Integer.parseInt(variables.getOrDefault("AGENT_QUEUE_CAPACITY", "10000")),
                Duration.ofMillis(Long.parseLong(variables.getOrDefault("AGENT_BACKOFF_BASE_MS", "500"))),
                Duration.ofSeconds(Long.parseLong(variables.getOrDefault("AGENT_BACKOFF_MAX_SEC", "30"))),
                Duration.ofSeconds(Long.parseLong(variables.getOrDefault("AGENT_HEALTHY_AFTER_SEC", "30"))),
                Boolean.parseBoolean(variables.getOrDefault("AGENT_ALLOW_INSECURE", "false")),
                caFile == null || caFile.isBlank() ? null : Path.of(caFile),
                blankToNull(variables.get("ORCHESTRATOR_ENROLMENT_TOKEN")));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The independence poll of the first edge (see {@link #pollUri(URI)}). */
    public URI pollUri() {
        return pollUri(controllerUrl());
    }

    /**
     * An edge's independence poll for this orchestrator: {@code https} for {@code wss}, {@code http}
     * for {@code ws}, on the WebSocket URL's host and port, or the scheme's default port (443, 80)
     * when it names none.
     */
    public URI pollUri(URI controllerUrl) {
        boolean tls = usesTls(controllerUrl);
        int port = controllerUrl.getPort() != -1 ? controllerUrl.getPort() : tls ? 443 : 80;
        try {
            return new URI(tls ? "https" : "http", null, controllerUrl.getHost(), port,
                    "/api/v1/internal/orchestrators/" + orchestratorId + "/independence", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no poll URL for " + orchestratorId + " at " + controllerUrl, e);
        }
    }

    static boolean usesTls(URI controllerUrl) {
        return "wss".equalsIgnoreCase(controllerUrl.getScheme());
    }

    /** {@code localhost}, 127.0.0.0/8 or ::1 (in any of its spellings), without asking DNS. */
    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost") || LOOPBACK_IPV4.matcher(host).matches()) {
            return true;
        }
        if (!host.startsWith("[")) {
            return false;
        }
        try {
            // A bracketed literal is parsed, never looked up.
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
