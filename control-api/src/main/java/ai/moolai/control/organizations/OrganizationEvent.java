package ai.moolai.control.organizations;

import java.util.Map;

import ai.moolai.control.activity.Audited;
import ai.moolai.control.system.Actor;

/**
 * An organization was created, changed or deleted; the activity log records it.
 *
 * @param targetId the organization's id
 * @param action   {@code organization.created}, {@code .updated} or {@code .deleted}
 * @param name     its name at that moment
 * @param actor    who
 */
record OrganizationEvent(String targetId, String action, String name, Actor actor) implements Audited {

    @Override
    public String targetType() {
        return "organization";
    }

    @Override
    public Map<String, ?> details() {
        return Map.of("name", name);
    }
}
