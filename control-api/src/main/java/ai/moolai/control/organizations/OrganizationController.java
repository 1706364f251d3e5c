package ai.moolai.control.organizations;

import java.net.URI;

import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Ids;
import ai.moolai.control.system.Paging;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/controller/organizations}: list, create, read, change, delete. */
@RestController
@Validated
@RequestMapping("/api/v1/controller/organizations")
class OrganizationController {

    private final OrganizationManagement organizations;
    private final OrganizationDirectory directory;

    OrganizationController(OrganizationManagement organizations, OrganizationDirectory directory) {
        this.organizations = organizations;
        this.directory = directory;
    }

    @GetMapping
    Paging.Page<OrganizationView> list(@RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                                   @RequestParam(required = false) Integer size, @RequestParam(required = false) String sort) {
        return directory.list(q == null || q.isBlank() ? null : q,
                Paging.of(page, size, sort, OrganizationDirectory.SORTABLE, "name"));
    }

    @PostMapping
    ResponseEntity<OrganizationView> create(@Valid @RequestBody OrganizationRequest request) {
        OrganizationView created = organizations.create(request, Actor.current());
        return ResponseEntity.created(URI.create("/api/v1/controller/organizations/" + created.organizationId()))
                .body(created);
    }

    @GetMapping("/{id}")
    OrganizationView get(@PathVariable @Pattern(regexp = Ids.PATTERN) String id) {
        return directory.get(id);
    }

    @PutMapping("/{id}")
    OrganizationView update(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                        @Valid @RequestBody OrganizationRequest request) {
        return organizations.update(id, request, Actor.current());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable @Pattern(regexp = Ids.PATTERN) String id) {
        organizations.delete(id, Actor.current());
        return ResponseEntity.noContent().build();
    }
}
