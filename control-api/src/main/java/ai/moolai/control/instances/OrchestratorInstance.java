package ai.moolai.control.instances;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

import ai.moolai.control.system.Actor;
import ai.moolai.protocol.kafka.DesiredState;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.AbstractAggregateRoot;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;
import tools.jackson.databind.JsonNode;

/**
 * An orchestrator as admins decide it: its name and place, its feature switches, its mode and its
 * credential. Every change is a new desired state, one version up, announced by an
 * {@link OrchestratorEvent} that the outbox and the activity log take in the same transaction. The
 * liveness columns of its row belong to the materializer and are not mapped here, so neither side
 * overwrites the other.
 */
@Table("orchestrator_instances")
class OrchestratorInstance extends AbstractAggregateRoot<OrchestratorInstance> implements Persistable<String> {

    @Id
    private final String orchestratorId;
    private final String organizationId;
    private String name;
    private String location;
    private JsonNode features;
    @Column("is_independent")
    private boolean independent;
    private boolean privacyMode;
    private long desiredVersion;
    private String credentialHash;
    private Instant credentialRotatedAt;
    private boolean tokenlessAllowed;
    private final Instant createdAt;
    private Instant updatedAt;
    @Transient
    private final boolean isNew;

    @PersistenceCreator
    OrchestratorInstance(String orchestratorId, String organizationId, String name, String location, JsonNode features,
                         boolean independent, boolean privacyMode, long desiredVersion, String credentialHash,
                         Instant credentialRotatedAt, boolean tokenlessAllowed, Instant createdAt, Instant updatedAt) {
        this(orchestratorId, organizationId, name, location, features, independent, privacyMode, desiredVersion,
                credentialHash, credentialRotatedAt, tokenlessAllowed, createdAt, updatedAt, false);
    }

    private OrchestratorInstance(String orchestratorId, String organizationId, String name, String location,
                                 JsonNode features, boolean independent, boolean privacyMode, long desiredVersion,
                                 String credentialHash, Instant credentialRotatedAt, boolean tokenlessAllowed,
                                 Instant createdAt, Instant updatedAt, boolean isNew) {
        this.orchestratorId = orchestratorId;
        this.organizationId = organizationId;
        this.name = name;
        this.location = location;
        this.features = features;
        this.independent = independent;
        this.privacyMode = privacyMode;
        this.desiredVersion = desiredVersion;
        this.credentialHash = credentialHash;
        this.credentialRotatedAt = credentialRotatedAt;
        this.tokenlessAllowed = tokenlessAllowed;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.isNew = isNew;
    }

    /** A new orchestrator of an organization, at desired version 1, holding the token whose hash is given. */
    static OrchestratorInstance register(String orchestratorId, String organizationId, String name, String location,
                                         JsonNode features, String credentialHash, Actor by) {
        Instant now = now();
        OrchestratorInstance instance = new OrchestratorInstance(orchestratorId, organizationId, name, location,
                features, false, false, 1, credentialHash, now, false, now, now, true);
        instance.registerEvent(new OrchestratorEvent.Registered(instance.desiredState(), by));
        return instance;
    }

    /**
     * An orchestrator that connected unregistered, enrolled by an admin: holding the key it enrolled
     * with as its token, or, for a client that sent none, allowed to connect without one.
     */
    static OrchestratorInstance enrol(String orchestratorId, String organizationId, String name, String location,
                                      JsonNode features, String keyHash, Actor by) {
        Instant now = now();
        OrchestratorInstance instance = new OrchestratorInstance(orchestratorId, organizationId, name, location,
                features, false, false, 1, keyHash, keyHash == null ? null : now, keyHash == null, now, now, true);
        instance.registerEvent(new OrchestratorEvent.Enrolled(instance.desiredState(), by));
        return instance;
    }

    /** Renames, moves or switches features; a {@code null} name or features leaves them as they are. */
    void change(String newName, String newLocation, JsonNode newFeatures, Actor by) {
        name = newName != null ? newName : name;
        location = newLocation;
        features = newFeatures != null ? newFeatures : features;
        changed(state -> new OrchestratorEvent.Changed(state, newName, newLocation, by));
    }

    /** Replaces the token; tokenless sessions are withdrawn with the old one. */
    void rotateCredential(String newCredentialHash, Actor by) {
        credentialHash = newCredentialHash;
        credentialRotatedAt = now();
        tokenlessAllowed = false;
        changed(state -> new OrchestratorEvent.CredentialRotated(state, by));
    }

    /**
     * Allows or withdraws tokenless sessions.
     *
     * @throws TokenlessNeedsConfirmation when allowing them beside a token without the admin's confirmation
     */
    void allowTokenless(boolean allowed, boolean evenWithToken, Actor by) {
        boolean holdsToken = credentialHash != null;
        if (allowed && holdsToken && !evenWithToken) {
            throw new TokenlessNeedsConfirmation(orchestratorId);
        }
        tokenlessAllowed = allowed;
        changed(state -> new OrchestratorEvent.TokenlessSet(state, holdsToken, by));
    }

    /** Sets it free or takes it back; {@code privacy} {@code null} leaves the privacy mode as it is. */
    void setIndependence(boolean newIndependent, Boolean privacy, Actor by) {
        independent = newIndependent;
        privacyMode = privacy != null ? privacy : privacyMode;
        changed(state -> new OrchestratorEvent.IndependenceSet(state, by));
    }

    /** Marks it for deletion: its desired state becomes a tombstone. */
    void delete(Actor by) {
        registerEvent(new OrchestratorEvent.Deleted(orchestratorId, by));
    }

    /** What the edges and the orchestrator read from {@code orchestrator.desired-state.v1}. */
    DesiredState desiredState() {
        return new DesiredState(orchestratorId, organizationId, name, location, features, independent, privacyMode,
                desiredVersion, credentialHash, tokenlessAllowed, updatedAt);
    }

    String organizationId() {
        return organizationId;
    }

    @Override
    public String getId() {
        return orchestratorId;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    private void changed(Function<DesiredState, OrchestratorEvent> event) {
        desiredVersion++;
        updatedAt = now();
        registerEvent(event.apply(desiredState()));
    }

    /** As PostgreSQL stores it, so that what is published equals what is read back. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
