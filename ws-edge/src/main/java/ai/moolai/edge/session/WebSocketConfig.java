package ai.moolai.edge.session;

import java.util.Map;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.Credentials;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * The orchestrator socket on {@code /ws} and {@code /} (the seed client's default URL has no
 * path). Upgrades wait until the edge's desired-state view has caught up, and are refused again
 * once the edge has begun to shut down or one of its followers has died (503 each time, so
 * clients back off rather than connect only to be closed), and the bearer token of the upgrade
 * request travels into the session.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

    private final OrchestratorSocketHandler handler;
    private final DesiredStateView view;
    private final SessionSupervisor supervisor;

    WebSocketConfig(OrchestratorSocketHandler handler, DesiredStateView view, SessionSupervisor supervisor) {
        this.handler = handler;
        this.view = view;
        this.supervisor = supervisor;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws", "/")
                .addInterceptors(new UpgradeGate(view, supervisor))
                .setAllowedOrigins("*");
    }

    private record UpgradeGate(DesiredStateView view, SessionSupervisor supervisor) implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                       WebSocketHandler handler, Map<String, Object> attributes) {
            if (!view.isCurrent() || !supervisor.takesSessions()) {
                response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
                return false;
            }
            String token = Credentials.bearerToken(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
            if (token != null) {
                attributes.put(OrchestratorSocketHandler.BEARER_TOKEN, token);
            }
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Exception exception) {
        }
    }
}
