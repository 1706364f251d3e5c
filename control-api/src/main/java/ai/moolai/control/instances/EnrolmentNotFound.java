package ai.moolai.control.instances;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No orchestrator with this id asked to be enrolled (or it was approved already). */
class EnrolmentNotFound extends ErrorResponseException {

    EnrolmentNotFound(String orchestratorId) {
        super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "no enrolment request from " + orchestratorId), null);
    }
}
