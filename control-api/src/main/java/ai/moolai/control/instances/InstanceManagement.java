package ai.moolai.control.instances;

import ai.moolai.control.organizations.Organizations;
import ai.moolai.control.system.Actor;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.Json;
import ai.moolai.service.logging.LogFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What admins do to orchestrator instances, one transaction each: load the aggregate with its row
 * locked, let it change itself, save it (its events write the outbox and the activity log). Tokens
 * are random, returned once and stored only as a hash.
 */
@Service
class InstanceManagement {

    private static final Logger log = LoggerFactory.getLogger(InstanceManagement.class);

    private final OrchestratorInstances instances;
    private final Organizations organizations;
    private final Fleet fleet;

    InstanceManagement(OrchestratorInstances instances, Organizations organizations, Fleet fleet) {
        this.instances = instances;
        this.organizations = organizations;
        this.fleet = fleet;
    }

    @Transactional
    Instance.WithToken create(InstanceRequest request, Actor actor) {
        if (request.organizationId() == null) {
            throw new IllegalArgumentException("organizationId is required");
        }
        String organizationName = organizations.findById(request.organizationId())
                .orElseThrow(() -> new IllegalArgumentException("organization " + request.organizationId() + " does not exist"))
                .name();
        String id = request.orchestratorId() != null ? request.orchestratorId() : request.organizationId();
        String token = Credentials.newToken();
        try {
            instances.save(OrchestratorInstance.register(id, request.organizationId(),
                    request.name() != null ? request.name() : organizationName, request.location(),
                    request.features() != null && !request.features().isNull() ? request.features() : Json.events().createObjectNode(),
                    Credentials.hash(token), actor));
        } catch (DuplicateKeyException e) {
            throw new OrchestratorExists(id);
        }
        return new Instance.WithToken(fleet.get(id), token);
    }

    @Transactional
    Instance update(String id, InstanceRequest request, Actor actor) {
        OrchestratorInstance instance = locked(id);
        instance.change(request.name(), request.location(),
                request.features() == null || request.features().isNull() ? null : request.features(), actor);
        instances.save(instance);
        return fleet.get(id);
    }

    @Transactional
    void delete(String id, Actor actor) {
        OrchestratorInstance instance = locked(id);
        instance.delete(actor);
        instances.delete(instance);
    }

    /**
     * Issues a new token; the old one stops working at every edge, and tokenless sessions are no
     * longer allowed (those open are closed).
     */
    @Transactional
    Instance.WithToken rotateCredentials(String id, Actor actor) {
        String token = Credentials.newToken();
        OrchestratorInstance instance = locked(id);
        instance.rotateCredential(Credentials.hash(token), actor);
        instances.save(instance);
        return new Instance.WithToken(fleet.get(id), token);
    }

    /** Allows or withdraws tokenless sessions; withdrawing them closes those open at every edge. */
    @Transactional
    Instance setTokenless(String id, TokenlessRequest request, Actor actor) {
        OrchestratorInstance instance = locked(id);
        instance.allowTokenless(request.allowed(), request.confirmsEvenWithToken(), actor);
        instances.save(instance);
        return fleet.get(id);
    }

    @Transactional
    Independence setIndependence(String id, IndependenceRequest request, Actor actor) {
        OrchestratorInstance instance = locked(id);
        instance.setIndependence(request.isIndependent(), request.privacyMode(), actor);
        instances.save(instance);
        // An admin's command, logged in the request's trace: every edge's line about it names the same trace.
        try (var ignored = MDC.putCloseable(LogFields.ORCHESTRATOR_ID, id)) {
            log.info("{} set {} by {}", id, request.isIndependent() ? "independent" : "not independent", actor.subject());
        }
        return fleet.independence(id);
    }

    private OrchestratorInstance locked(String id) {
        return instances.findLockedByOrchestratorId(id).orElseThrow(() -> new OrchestratorNotFound(id));
    }
}
