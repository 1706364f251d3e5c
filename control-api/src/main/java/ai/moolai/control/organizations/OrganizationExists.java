package ai.moolai.control.organizations;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An organization was to be created with the id or the name of another one. */
class OrganizationExists extends ErrorResponseException {

    OrganizationExists(String organizationId, String name) {
        super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "an organization with id '" + organizationId + "' or name '" + name + "' exists"), null);
    }
}
