package ai.moolai.control.organizations;

import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Ids;
import ai.moolai.protocol.Json;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What admins do to organizations, one transaction each; the activity log records every change. */
@Service
class OrganizationManagement {

    private final Organizations organizations;
    private final OrganizationDirectory directory;

    OrganizationManagement(Organizations organizations, OrganizationDirectory directory) {
        this.organizations = organizations;
        this.directory = directory;
    }

    @Transactional
    OrganizationView create(OrganizationRequest request, Actor actor) {
        String id = request.organizationId() != null ? request.organizationId() : Ids.slug(request.name());
        try {
            organizations.save(Organization.found(id, request.name(), request.location(),
                    request.isActive() == null || request.isActive(),
                    request.settings() == null || request.settings().isNull() ? Json.events().createObjectNode() : request.settings(),
                    actor));
        } catch (DuplicateKeyException e) {
            throw new OrganizationExists(id, request.name());
        }
        return directory.get(id);
    }

    @Transactional
    OrganizationView update(String id, OrganizationRequest request, Actor actor) {
        Organization organization = locked(id);
        organization.change(request.name(), request.location(), request.isActive(),
                request.settings() == null || request.settings().isNull() ? null : request.settings(), actor);
        organizations.save(organization);
        return directory.get(id);
    }

    @Transactional
    void delete(String id, Actor actor) {
        Organization organization = locked(id);
        organization.delete(organizations.countOrchestrators(id), actor);
        organizations.delete(organization);
    }

    private Organization locked(String id) {
        return organizations.findLockedByOrganizationId(id).orElseThrow(() -> new OrganizationNotFound(id));
    }
}
