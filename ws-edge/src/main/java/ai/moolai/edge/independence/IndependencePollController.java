package ai.moolai.edge.independence;

import ai.moolai.edge.config.Problems;
import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.DesiredState;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code GET /api/v1/internal/orchestrators/{id}/independence}: an orchestrator reads its own
 * independence with its own token, answered from the edge's view of the desired state (no
 * database). Without a token only an orchestrator whose desired state allows tokenless sessions is
 * answered. 401 without a valid token (tokenless: unless allowed, whether or not the id is
 * registered), 403 for another orchestrator's record, 503 while the view is not current (catching
 * up at start, or its follower dead).
 */
@RestController
class IndependencePollController {

    private final DesiredStateView view;

    IndependencePollController(DesiredStateView view) {
        this.view = view;
    }

    @GetMapping("/api/v1/internal/orchestrators/{id}/independence")
    IndependenceStatus independence(@PathVariable String id,
                                    @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        if (!view.isCurrent()) {
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "the edge's view of the desired state is not current; retry shortly");
        }
        String token = Credentials.bearerToken(authorization);
        if (token != null ? view.isSuspended(token) : view.isUnreadable(id)) {
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "the orchestrator's desired state cannot be read now; retry later");
        }
        DesiredState orchestrator;
        if (token != null) {
            orchestrator = view.findByToken(token)
                    .orElseThrow(() -> Problems.of(HttpStatus.UNAUTHORIZED, "unknown, rotated or revoked token"));
            if (!orchestrator.orchestratorId().equals(id)) {
                throw Problems.of(HttpStatus.FORBIDDEN, "an orchestrator may read only its own independence");
            }
        } else {
            orchestrator = view.find(id).filter(DesiredState::tokenlessAllowed).orElseThrow(() -> Problems.of(
                    HttpStatus.UNAUTHORIZED, "an orchestrator token is required (Authorization: Bearer)"));
        }
        return new IndependenceStatus(orchestrator.orchestratorId(), orchestrator.independent(),
                orchestrator.privacyMode(), orchestrator.version());
    }

    /** The poll's answer, in the protocol's snake_case. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record IndependenceStatus(String orchestratorId, @JsonProperty("is_independent") boolean isIndependent,
                              boolean privacyMode, long version) {
    }
}
