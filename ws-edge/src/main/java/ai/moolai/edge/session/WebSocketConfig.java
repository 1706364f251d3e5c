package ai.moolai.edge.session;

import java.util.Map;

import ai.moolai.edge.config.EdgeProperties;
import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.Credentials;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The orchestrator socket on {@code /ws} and {@code /} (the seed client's default URL has no
 * path). Every upgrade passes a gate before any WebSocket state is held. It is refused with 503
 * until the edge's desired-state view has caught up, and again once the edge has begun to shut
 * down or one of its followers has died, so clients back off rather than connect only to be
 * closed; with 429 when its remote address has spent its budget of upgrades
 * ({@link UpgradesPerAddress}); and with 503 while every place for an unauthenticated socket is
 * taken ({@link UnauthenticatedSockets}). The bearer token of the upgrade request travels into the
 * session; no other header outlives the handshake ({@link HandshakeHeadersOnly}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

    private final OrchestratorSocketHandler handler;
    private final DesiredStateView view;
    private final SessionSupervisor supervisor;
    private final UnauthenticatedSockets unauthenticated;
    private final EdgeMetrics metrics;
    private final EdgeProperties edge;

    WebSocketConfig(OrchestratorSocketHandler handler, DesiredStateView view, SessionSupervisor supervisor,
                    UnauthenticatedSockets unauthenticated, EdgeMetrics metrics, EdgeProperties edge) {
        this.handler = handler;
        this.view = view;
        this.supervisor = supervisor;
        this.unauthenticated = unauthenticated;
        this.metrics = metrics;
        this.edge = edge;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        UpgradesPerAddress upgrades = new UpgradesPerAddress(edge.upgradesPerAddressPerSecond(),
                edge.upgradeBurstPerAddress(), UpgradesPerAddress.REMEMBERED);
        registry.addHandler(handler, "/ws", "/")
                .setHandshakeHandler(new DefaultHandshakeHandler(new HandshakeHeadersOnly()))
                .addInterceptors(new UpgradeGate(view, supervisor, upgrades, unauthenticated, metrics))
                .setAllowedOrigins("*");
    }

    private record UpgradeGate(DesiredStateView view, SessionSupervisor supervisor, UpgradesPerAddress upgrades,
                               UnauthenticatedSockets unauthenticated, EdgeMetrics metrics)
            implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                       WebSocketHandler handler, Map<String, Object> attributes) {
            if (!view.isCurrent() || !supervisor.takesSessions()) {
                return refuse(response, HttpStatus.SERVICE_UNAVAILABLE, EdgeMetrics.UNAVAILABLE);
            }
            if (!upgrades.tryTake(request.getRemoteAddress().getHostString(), System.nanoTime())) {
                response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
                return refuse(response, HttpStatus.TOO_MANY_REQUESTS, EdgeMetrics.ADDRESS_RATE);
            }
            UnauthenticatedSockets.Place place = unauthenticated.enter();
            if (place == null) {
                return refuse(response, HttpStatus.SERVICE_UNAVAILABLE, EdgeMetrics.TOO_MANY_UNAUTHENTICATED);
            }
            attributes.put(OrchestratorSocketHandler.PLACE, place);
            request.getAttributes().put(OrchestratorSocketHandler.PLACE, place);
            String token = Credentials.bearerToken(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
            if (token != null) {
                attributes.put(OrchestratorSocketHandler.BEARER_TOKEN, token);
            }
            return true;
        }

        /** An upgrade that passed the gate but did not switch protocols gives its place back at once. */
        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Exception exception) {
            boolean switched = response instanceof ServletServerHttpResponse servlet
                    && servlet.getServletResponse().getStatus() == HttpStatus.SWITCHING_PROTOCOLS.value();
            if (exception != null || !switched) {
                ((UnauthenticatedSockets.Place) request.getAttributes().get(OrchestratorSocketHandler.PLACE)).release();
            }
        }

        private boolean refuse(ServerHttpResponse response, HttpStatus status, String reason) {
            metrics.upgradeRefused(reason);
            response.setStatusCode(status);
            return false;
        }
    }
}
