package ai.moolai.edge.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ai.moolai.edge.config.EdgeProperties;
import ai.moolai.edge.config.Problems;
import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.edge.desiredstate.EnrolmentRefusals;
import ai.moolai.edge.publish.EdgePublisher;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Heartbeat;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.CloseCode;
import ai.moolai.protocol.ws.Handshake;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The original orchestrator's HTTP calls to its controller, answered by the edge in the original's
 * shapes ({@code ../shared/seed/original-orchestrator-http.md}, PROTOCOL.md "The original
 * orchestrator's HTTP calls"). Each call is authenticated as a WebSocket handshake is: by the
 * orchestrator's bearer token, or without one for an orchestrator an admin allowed that. An id
 * nobody registered that calls {@code register} is shown to the admins as asking to be enrolled.
 * Of a body only the ids and the name are read; the connection strings the original sends, with
 * their passwords, are never kept, logged or passed on.
 */
@RestController
class OriginalOrchestratorApi {

    private static final Logger log = LoggerFactory.getLogger(OriginalOrchestratorApi.class);
    private static final String ORCHESTRATORS = "/api/v1/internal/orchestrators";
    private static final Duration PUBLISH_WITHIN = Duration.ofSeconds(10);

    private final EdgeProperties edge;
    private final DesiredStateView view;
    private final EnrolmentRefusals refusals;
    private final SessionRegistry registry;
    private final SessionSupervisor supervisor;
    private final WaitingRoom waitingRoom;
    private final EdgePublisher publisher;
    private final UpgradesPerAddress asksPerAddress;

    OriginalOrchestratorApi(EdgeProperties edge, DesiredStateView view, EnrolmentRefusals refusals,
                            SessionRegistry registry, SessionSupervisor supervisor, WaitingRoom waitingRoom,
                            EdgePublisher publisher) {
        this.edge = edge;
        this.view = view;
        this.refusals = refusals;
        this.registry = registry;
        this.supervisor = supervisor;
        this.waitingRoom = waitingRoom;
        this.publisher = publisher;
        this.asksPerAddress = new UpgradesPerAddress(edge.upgradesPerAddressPerSecond(), edge.upgradeBurstPerAddress(),
                UpgradesPerAddress.REMEMBERED);
    }

    /** The original controller's internal health: whether orchestrators can connect here, and how many are. */
    @GetMapping("/api/v1/internal/health")
    InternalHealth health() {
        boolean up = view.isCurrent() && supervisor.takesSessions() && !registry.isShuttingDown();
        return new InternalHealth(true, "Internal API healthy", Instant.now(), "controller-internal-api",
                new InternalHealth.Ws(up ? "ok" : "down", registry.authenticatedCount()));
    }

    /**
     * Registers as the original did: a registered orchestrator gets the original's answer and
     * nothing changes; an id nobody registered is shown to the admins as asking to be enrolled, and
     * answered {@code pending_approval} (its WebSocket then waits in the waiting room).
     */
    @PostMapping(ORCHESTRATORS + "/register")
    Registered register(@RequestBody Register body, @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false)
                        String authorization, HttpServletRequest request) {
        Handshake handshake = body.asHandshake();
        Admission admission = admit(handshake, authorization);
        String id = handshake.orchestratorId();
        if (admission instanceof Admission.Waiting) {
            if (refusals.refuses(id, Instant.now())) {
                throw Problems.of(HttpStatus.FORBIDDEN, "an admin rejected the enrolment of " + id);
            }
            if (!asksPerAddress.tryTake(request.getRemoteAddr(), System.nanoTime())) {
                throw Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too many requests from this address; retry shortly");
            }
            waitingRoom.askedOverHttp(handshake, request.getRemoteAddr());
            log.info("{} asked to be registered over HTTP: waiting for an admin's approval", id);
            return new Registered(true, "Waiting for an admin to approve this orchestrator", Instant.now(), id, null,
                    "pending_approval", new Registered.IndependenceSupport(false, false), endpoints(id),
                    "Approve it on the dashboard, under Waiting for approval; it connects over its WebSocket meanwhile");
        }
        DesiredState orchestrator = ((Admission.Admitted) admission).orchestrator();
        return new Registered(true, "Orchestrator registered", Instant.now(), orchestrator.orchestratorId(),
                orchestrator.organizationId(), orchestrator.independent() ? "independent" : "active",
                new Registered.IndependenceSupport(orchestrator.independent(), orchestrator.privacyMode()),
                endpoints(orchestrator.orchestratorId()), "Already registered: nothing changed");
    }

    /** A heartbeat, as its WebSocket's {@code i_am_alive}: answered once Kafka has it. An independent one's is ignored. */
    @PostMapping(ORCHESTRATORS + "/heartbeat")
    CompletableFuture<HeartbeatStored> heartbeat(@RequestBody Heartbeating body,
                                                 @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false)
                                                 String authorization) {
        DesiredState orchestrator = admitted(body.asHandshake(), authorization);
        String id = orchestrator.orchestratorId();
        if (orchestrator.independent()) {
            return CompletableFuture.completedFuture(new HeartbeatStored(true, "Orchestrator is independent: heartbeat ignored",
                    Instant.now(), id, orchestrator.organizationId()));
        }
        return publisher.publish(Topics.HEARTBEATS, id, new Heartbeat(id, "http", edge.id(), null, null, Instant.now()))
                .orTimeout(PUBLISH_WITHIN.toMillis(), TimeUnit.MILLISECONDS)
                .handle((stored, failed) -> {
                    if (failed != null) {
                        throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "the heartbeat could not be stored now; retry");
                    }
                    return new HeartbeatStored(true, "Heartbeat stored", Instant.now(), id, orchestrator.organizationId());
                });
    }

    /** Deregisters on shutdown: its session on this edge is closed as its own goodbye, so it is INACTIVE at once. */
    @DeleteMapping(ORCHESTRATORS + "/{id}/deregister")
    Deregistered deregister(@PathVariable String id,
                            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        DesiredState orchestrator = admitted(new Handshake(null, new Handshake.Data(id, null, null), null), authorization);
        registry.of(orchestrator.orchestratorId()).filter(EdgeSession::isOpen)
                .ifPresent(session -> session.closeForOrchestrator(CloseCode.DEREGISTERED));
        log.info("{} deregistered over HTTP", orchestrator.orchestratorId());
        return new Deregistered(true, "Orchestrator deregistered", Instant.now(), orchestrator.orchestratorId(), "inactive");
    }

    /** A body with a value the controller could not keep (see {@code Storable}). */
    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail invalid(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    private DesiredState admitted(Handshake handshake, String authorization) {
        Admission admission = admit(handshake, authorization);
        if (admission instanceof Admission.Admitted admitted) {
            return admitted.orchestrator();
        }
        throw Problems.of(HttpStatus.UNAUTHORIZED, "not registered, or not allowed without a token (Authorization: Bearer)");
    }

    /** Decided as a WebSocket handshake is; a refusal is answered 401, or 503 while the edge cannot tell. */
    private Admission admit(Handshake handshake, String authorization) {
        Admission admission = Admission.decide(handshake, Credentials.bearerToken(authorization), view);
        if (admission instanceof Admission.Refused refused) {
            if (refused.close() == CloseCode.UNAUTHORIZED) {
                throw Problems.of(HttpStatus.UNAUTHORIZED, "unknown, rotated or revoked token, or another orchestrator's,"
                        + " or not allowed without a token");
            }
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "the edge cannot check this orchestrator now; retry shortly");
        }
        return admission;
    }

    private static Map<String, String> endpoints(String id) {
        return Map.of("heartbeat", ORCHESTRATORS + "/heartbeat", "deregister", ORCHESTRATORS + "/" + id + "/deregister",
                "status", ORCHESTRATORS + "/" + id + "/independence");
    }

    /** What a {@code register} body holds that the edge reads: nothing else of it is bound, so nothing else is kept. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Register(String orchestratorId, String name) {

        Handshake asHandshake() {
            return new Handshake(null, new Handshake.Data(orchestratorId, null,
                    new Handshake.Metadata(null, null, null, null, name, null, null)), null);
        }
    }

    /** What a {@code heartbeat} body holds that the edge reads. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Heartbeating(String orchestratorId) {

        Handshake asHandshake() {
            return new Handshake(null, new Handshake.Data(orchestratorId, null, null), null);
        }
    }

    /** The original's internal health. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record InternalHealth(boolean success, String message, Instant timestamp, String service, Ws ws) {

        @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
        record Ws(String status, int activeConnections) {
        }
    }

    /** The original's answer to {@code register}; {@code organization_name} carries the organization's id. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Registered(boolean success, String message, Instant timestamp, String orchestratorId, String organizationName,
                      String status, IndependenceSupport independenceSupport, Map<String, String> controllerEndpoints,
                      String note) {

        @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
        record IndependenceSupport(@JsonProperty("is_independent") boolean isIndependent, boolean privacyMode) {
        }
    }

    /** The original's answer to {@code heartbeat}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record HeartbeatStored(boolean success, String message, Instant timestamp, String orchestratorId,
                           String organizationName) {
    }

    /** The original's answer to {@code deregister}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Deregistered(boolean success, String message, Instant timestamp, String orchestratorId, String status) {
    }
}
