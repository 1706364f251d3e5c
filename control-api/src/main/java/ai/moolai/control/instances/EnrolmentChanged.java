package ai.moolai.control.instances;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The enrolment request was replaced (another session claims the id) since the admin looked at it. */
class EnrolmentChanged extends ErrorResponseException {

    EnrolmentChanged(String orchestratorId) {
        super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "the enrolment request of "
                + orchestratorId + " changed since it was read (another session claims the id): look at it again"), null);
    }
}
