package ai.moolai.edge.session;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The edge takes small bodies only (the original orchestrator's HTTP calls), and anyone may send one:
 * a request with a body over {@value #MAX_BYTES} bytes is refused (413) before it is read, and one
 * without a length (411), so no stranger makes the edge read without end. Every request with a body
 * is checked, whatever its path, so no spelling of a path slips past.
 */
@Component
class InternalBodyLimit extends OncePerRequestFilter {

    static final long MAX_BYTES = 64 * 1024;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return "GET".equals(method) || "HEAD".equals(method) || "DELETE".equals(method) || "OPTIONS".equals(method);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length < 0) {
            response.sendError(HttpStatus.LENGTH_REQUIRED.value(), "a body needs a Content-Length");
            return;
        }
        if (length > MAX_BYTES) {
            response.sendError(HttpStatus.CONTENT_TOO_LARGE.value(), "a body may be at most " + MAX_BYTES + " bytes");
            return;
        }
        chain.doFilter(request, response);
    }
}
