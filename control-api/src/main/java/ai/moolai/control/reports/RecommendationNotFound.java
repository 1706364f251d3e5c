package ai.moolai.control.reports;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No recommendation has the id asked for. */
class RecommendationNotFound extends ErrorResponseException {

    RecommendationNotFound(long id) {
        super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "recommendation " + id + " not found"), null);
    }
}
