package ai.moolai.control.reports;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A recommendation was to be decided a second time. */
class RecommendationAlreadyDecided extends ErrorResponseException {

    RecommendationAlreadyDecided(long id, String decision) {
        super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "recommendation " + id + " was already " + decision), null);
    }
}
