package ai.moolai.control.organizations;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No organization has the id asked for. */
class OrganizationNotFound extends ErrorResponseException {

    OrganizationNotFound(String organizationId) {
        super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "organization " + organizationId + " not found"), null);
    }
}
