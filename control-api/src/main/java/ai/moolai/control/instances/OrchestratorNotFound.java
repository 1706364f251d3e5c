package ai.moolai.control.instances;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No orchestrator has the id asked for. */
class OrchestratorNotFound extends ErrorResponseException {

    OrchestratorNotFound(String orchestratorId) {
        super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "orchestrator " + orchestratorId + " not found"), null);
    }
}
