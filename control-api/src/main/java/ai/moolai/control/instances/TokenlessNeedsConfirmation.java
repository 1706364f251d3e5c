package ai.moolai.control.instances;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Tokenless sessions were to be allowed for an orchestrator that holds a token, without the admin confirming it. */
class TokenlessNeedsConfirmation extends ErrorResponseException {

    TokenlessNeedsConfirmation(String orchestratorId) {
        super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "orchestrator " + orchestratorId
                + " holds a token: allowing tokenless sessions would let anyone connect as it without that token; "
                + "send \"evenWithToken\": true to allow them anyway"), null);
    }
}
