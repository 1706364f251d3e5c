package ai.moolai.control.instances;

import java.net.URI;
import java.util.List;
import java.util.Map;

import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Ids;
import ai.moolai.control.system.Paging;
import ai.moolai.protocol.kafka.LivenessStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Orchestrator instances under the seed's paths: {@code /api/v1/controller/orchestrator-instances},
 * {@code /api/v1/controller/orchestrators/live} and {@code /api/v1/internal/orchestrators/{id}/independence}.
 */
@RestController
@Validated
class InstanceController {

    private static final String INSTANCES = "/api/v1/controller/orchestrator-instances";

    private final InstanceManagement instances;
    private final Fleet fleet;

    InstanceController(InstanceManagement instances, Fleet fleet) {
        this.instances = instances;
        this.fleet = fleet;
    }

    @GetMapping(INSTANCES)
    Paging.Page<Instance> list(@RequestParam(required = false) LivenessStatus status,
                               @RequestParam(required = false) @Pattern(regexp = Ids.PATTERN) String organizationId,
                               @RequestParam(required = false) Boolean connected,
                               @RequestParam(required = false) Boolean independent,
                               @RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                               @RequestParam(required = false) Integer size, @RequestParam(required = false) String sort) {
        return fleet.list(new Fleet.Filter(status, organizationId, connected, independent, q == null || q.isBlank() ? null : q),
                Paging.of(page, size, sort, Fleet.SORTABLE, "orchestratorId"));
    }

    @PostMapping(INSTANCES)
    ResponseEntity<Instance.WithToken> create(@Valid @RequestBody InstanceRequest request) {
        Instance.WithToken created = instances.create(request, Actor.current());
        return ResponseEntity.created(URI.create(INSTANCES + "/" + created.instance().orchestratorId())).body(created);
    }

    @GetMapping(INSTANCES + "/{id}")
    Instance get(@PathVariable @Pattern(regexp = Ids.PATTERN) String id) {
        return fleet.get(id);
    }

    @PutMapping(INSTANCES + "/{id}")
    Instance update(@PathVariable @Pattern(regexp = Ids.PATTERN) String id, @Valid @RequestBody InstanceRequest request) {
        return instances.update(id, request, Actor.current());
    }

    @DeleteMapping(INSTANCES + "/{id}")
    ResponseEntity<Void> delete(@PathVariable @Pattern(regexp = Ids.PATTERN) String id) {
        instances.delete(id, Actor.current());
        return ResponseEntity.noContent().build();
    }

    @PostMapping(INSTANCES + "/{id}/credentials")
    Instance.WithToken rotateCredentials(@PathVariable @Pattern(regexp = Ids.PATTERN) String id) {
        return instances.rotateCredentials(id, Actor.current());
    }

    /** Allows or withdraws tokenless sessions (409 for a token holder unless {@code evenWithToken}). */
    @PutMapping(INSTANCES + "/{id}/tokenless")
    Instance setTokenless(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                          @Valid @RequestBody TokenlessRequest request) {
        return instances.setTokenless(id, request, Actor.current());
    }

    /** The seed's live view: counts by status, the orchestrators ACTIVE now, and who changed status in the last minute. */
    @GetMapping("/api/v1/controller/orchestrators/live")
    Live live() {
        Fleet.Summary summary = fleet.summary();
        return new Live(summary.counts(), fleet.active(), summary.changes());
    }

    /** Counts by status and who changed status in the last minute, without the list: what the fleet page heads with. */
    @GetMapping("/api/v1/controller/orchestrators/summary")
    Fleet.Summary summary() {
        return fleet.summary();
    }

    @PutMapping("/api/v1/internal/orchestrators/{id}/independence")
    Independence setIndependence(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                                 @Valid @RequestBody IndependenceRequest request) {
        return instances.setIndependence(id, request, Actor.current());
    }

    @GetMapping("/api/v1/internal/orchestrators/{id}/independence")
    Independence independence(@PathVariable @Pattern(regexp = Ids.PATTERN) String id) {
        return fleet.independence(id);
    }

    /**
     * @param counts        orchestrators by status
     * @param orchestrators the ACTIVE ones
     * @param changes       who changed status in the last minute, and whether that makes a mass change
     */
    record Live(Map<String, Long> counts, List<Instance> orchestrators, StatusChanges changes) {
    }
}
