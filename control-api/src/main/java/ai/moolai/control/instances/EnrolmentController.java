package ai.moolai.control.instances;

import java.util.List;

import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The waiting room as admins see it, {@code /api/v1/controller/enrolments}: orchestrators nobody
 * registered that asked to be enrolled, to approve into an organization or to reject.
 */
@RestController
@Validated
class EnrolmentController {

    private static final String ENROLMENTS = "/api/v1/controller/enrolments";

    private final Enrolments enrolments;

    EnrolmentController(Enrolments enrolments) {
        this.enrolments = enrolments;
    }

    @GetMapping(ENROLMENTS)
    List<WaitingOrchestrator> list() {
        return enrolments.list();
    }

    /** Registers it into the organization chosen; it is admitted at once if still waiting. */
    @PostMapping(ENROLMENTS + "/{id}/approve")
    Instance approve(@PathVariable @Pattern(regexp = Ids.PATTERN) String id, @Valid @RequestBody ApprovalRequest request) {
        return enrolments.approve(id, request, Actor.current());
    }

    /** Closes its waiting session with 4403 and refuses it at every edge for a while. */
    @PostMapping(ENROLMENTS + "/{id}/reject")
    WaitingOrchestrator reject(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                               @Valid @RequestBody(required = false) RejectionRequest request) {
        return enrolments.reject(id, request == null ? new RejectionRequest(null) : request, Actor.current());
    }
}
