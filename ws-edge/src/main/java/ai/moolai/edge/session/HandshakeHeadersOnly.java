package ai.moolai.edge.session;

import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

/**
 * Upgrades with only the headers the WebSocket handshake itself reads. Spring's session and
 * Tomcat's handshake request each keep a copy of the upgrade request's headers for the session's
 * whole life, which nothing here reads again once the gate has passed: about 2 KB a session each
 * with a client's usual headers, and the bearer token among them. The gate
 * ({@link WebSocketConfig}) has read what it needs before the upgrade.
 */
class HandshakeHeadersOnly extends StandardWebSocketUpgradeStrategy {

    private static final Set<String> KEPT = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        KEPT.addAll(List.of("Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"));
    }

    @Override
    public void upgrade(ServerHttpRequest request, ServerHttpResponse response, String selectedProtocol,
                        List<WebSocketExtension> selectedExtensions, Principal user, WebSocketHandler handler,
                        Map<String, Object> attributes) {
        HttpServletRequest servlet = ((ServletServerHttpRequest) request).getServletRequest();
        super.upgrade(new ServletServerHttpRequest(new Trimmed(servlet)), response, selectedProtocol, selectedExtensions,
                user, handler, attributes);
    }

    /** The upgrade request, showing only the handshake's headers. */
    private static final class Trimmed extends HttpServletRequestWrapper {

        Trimmed(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return KEPT.contains(name) ? super.getHeader(name) : null;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return KEPT.contains(name) ? super.getHeaders(name) : Collections.emptyEnumeration();
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream().filter(KEPT::contains).toList());
        }

        @Override
        public long getDateHeader(String name) {
            return KEPT.contains(name) ? super.getDateHeader(name) : -1;
        }

        @Override
        public int getIntHeader(String name) {
            return KEPT.contains(name) ? super.getIntHeader(name) : -1;
        }
    }
}
