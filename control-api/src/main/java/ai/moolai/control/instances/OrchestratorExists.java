package ai.moolai.control.instances;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An orchestrator was to be created with an id another one has. */
class OrchestratorExists extends ErrorResponseException {

    OrchestratorExists(String orchestratorId) {
        super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "an orchestrator with id '" + orchestratorId + "' exists"), null);
    }
}
