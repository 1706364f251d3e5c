package ai.moolai.control.organizations;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import ai.moolai.control.system.Actor;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.AbstractAggregateRoot;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;
import tools.jackson.databind.JsonNode;

/** A customer whose orchestrators the controller manages; each change is an {@link OrganizationEvent}. */
@Table("organizations")
public class Organization extends AbstractAggregateRoot<Organization> implements Persistable<String> {

    @Id
    private final String organizationId;
    private String name;
    private String location;
    @Column("is_active")
    private boolean active;
    private JsonNode settings;
    private final Instant createdAt;
    private Instant updatedAt;
    @Transient
    private final boolean isNew;

    @PersistenceCreator
    Organization(String organizationId, String name, String location, boolean active, JsonNode settings,
                 Instant createdAt, Instant updatedAt) {
        this(organizationId, name, location, active, settings, createdAt, updatedAt, false);
    }

    private Organization(String organizationId, String name, String location, boolean active, JsonNode settings,
                         Instant createdAt, Instant updatedAt, boolean isNew) {
        this.organizationId = organizationId;
        this.name = name;
        this.location = location;
        this.active = active;
        this.settings = settings;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.isNew = isNew;
    }

    static Organization found(String organizationId, String name, String location, boolean active, JsonNode settings,
                              Actor by) {
        Instant now = now();
        Organization organization = new Organization(organizationId, name, location, active, settings, now, now, true);
        organization.registerEvent(new OrganizationEvent(organizationId, "organization.created", name, by));
        return organization;
    }

    /** Renames or moves it; {@code null} activity or settings leave them as they are. */
    void change(String newName, String newLocation, Boolean newActive, JsonNode newSettings, Actor by) {
        name = newName;
        location = newLocation;
        active = newActive != null ? newActive : active;
        settings = newSettings != null ? newSettings : settings;
        updatedAt = now();
        registerEvent(new OrganizationEvent(organizationId, "organization.updated", name, by));
    }

    /**
     * Marks it for deletion.
     *
     * @throws OrganizationNotEmpty while it still has orchestrators
     */
    void delete(long orchestrators, Actor by) {
        if (orchestrators > 0) {
            throw new OrganizationNotEmpty(organizationId, orchestrators);
        }
        registerEvent(new OrganizationEvent(organizationId, "organization.deleted", name, by));
    }

    /** Its display name, unique ignoring case. */
    public String name() {
        return name;
    }

    @Override
    public String getId() {
        return organizationId;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
