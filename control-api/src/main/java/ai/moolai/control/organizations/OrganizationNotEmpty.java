package ai.moolai.control.organizations;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An organization was to be deleted while it still has orchestrators. */
class OrganizationNotEmpty extends ErrorResponseException {

    OrganizationNotEmpty(String organizationId, long orchestrators) {
        super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "organization " + organizationId
                + " still has " + orchestrators + " orchestrator(s); delete them first"), null);
    }
}
