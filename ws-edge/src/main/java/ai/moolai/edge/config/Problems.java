package ai.moolai.edge.config;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The edge's HTTP errors: RFC 9457 problem details, with {@code WWW-Authenticate: Bearer} on a 401. */
public final class Problems {

    private Problems() {
    }

    public static ErrorResponseException of(HttpStatus status, String detail) {
        ErrorResponseException problem = new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
        if (status == HttpStatus.UNAUTHORIZED) {
            problem.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return problem;
    }
}
