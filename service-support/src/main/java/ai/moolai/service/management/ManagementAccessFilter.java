package ai.moolai.service.management;

import java.io.IOException;
import java.net.URI;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link ManagementAccess} to every actuator request: a caller with the management token
 * goes through as a principal (so health shows its details to it), anyone else reaches only the
 * open probes and otherwise gets 401 as a problem detail.
 */
final class ManagementAccessFilter extends OncePerRequestFilter {

    private static final Principal MANAGER = () -> "management";

    private final ManagementAccess access;
    private final JacksonJsonHttpMessageConverter json = new JacksonJsonHttpMessageConverter();

    ManagementAccessFilter(ManagementAccess access) {
        this.access = access;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (access.admits(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            chain.doFilter(new Authorized(request), response);
        } else if (access.isOpen(request.getRequestURI().substring(request.getContextPath().length()))) {
            chain.doFilter(request, response);
        } else {
            refuse(request, response);
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                "only liveness and readiness answer without the management token");
        problem.setInstance(URI.create(request.getRequestURI()));
        ServletServerHttpResponse out = new ServletServerHttpResponse(response);
        out.setStatusCode(HttpStatus.UNAUTHORIZED);
        out.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        json.write(problem, MediaType.APPLICATION_PROBLEM_JSON, out);
    }

    /** A request that presented the management token. */
    private static final class Authorized extends HttpServletRequestWrapper {

        Authorized(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return MANAGER;
        }
    }
}
