package ai.moolai.control.instances;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.moolai.control.events.LiveFeed;
import ai.moolai.control.organizations.Organizations;
import ai.moolai.control.outbox.Outbox;
import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Role;
import ai.moolai.database.TextArrays;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Enrolment;
import ai.moolai.protocol.kafka.EnrolmentRefusal;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.RecordBatches;
import ai.moolai.service.consumer.RecordReader;
import ai.moolai.service.consumer.ReplayingListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Orchestrators nobody registered that wait in an edge's waiting room, and the admins' decisions
 * on them. What the edges report on {@code orchestrator.enrolments.v1} is kept, a batch at a time,
 * in {@code enrolment_requests} (only what a handshake said, and when the edge last heard it). An
 * approval registers the orchestrator (its enrolment key becomes its token; a client without one is
 * let connect without a token) and the edge holding it admits it at once; a rejection goes to every
 * edge through {@code orchestrator.enrolment-refusals.v1}. Both are audited, in the same transaction.
 */
@Service
class Enrolments extends ReplayingListener {

    static final String CONSUMER = "enrolments";
    /** Requests listed at most: the edges hold at most a thousand waiting sessions each. */
    static final int LISTED = 1000;

    /** A request as the edges report it, for an id nobody registered meanwhile; what a conflict does follows. */
    /** A request with the organization its enrolment token proposes. */
    private static final String WITH_TOKEN = """
            SELECT r.*, t.organization_id AS token_organization_id FROM enrolment_requests r
            LEFT JOIN enrolment_tokens t ON t.token_id = r.enrolment_token_id""";

    private static final String REQUESTED = """
            INSERT INTO enrolment_requests AS r (orchestrator_id, session_id, edge_id, client_version, hostname, ip, name,
                                                location, features, remote_address, key_hash, enrolment_token_id, waiting,
                                                first_seen_at, last_seen_at, entered_at)
            SELECT id, session_id, edge_id, version, hostname, ip, name, location, CAST(features AS jsonb), remote_address,
                   key_hash, token_id, CAST(waiting AS boolean), CAST(at AS timestamptz), CAST(at AS timestamptz),
                   CAST(at AS timestamptz)
            FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 AS v(id, session_id, edge_id, version, hostname, ip, name, location, features, remote_address, key_hash,
                      token_id, waiting, at)
            WHERE NOT EXISTS (SELECT 1 FROM orchestrator_instances i WHERE i.orchestrator_id = v.id)
            """;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RecordBatches batches;
    private final LiveFeed live;
    private final OrchestratorInstances instances;
    private final Organizations organizations;
    private final Outbox outbox;
    private final ApplicationEventPublisher events;
    private final EnrolmentProperties properties;
    private final Fleet fleet;
    private final EnrolmentTokens tokens;

    Enrolments(JdbcTemplate jdbc, TransactionTemplate transactions, RecordBatches batches, LiveFeed live,
               OrchestratorInstances instances, Organizations organizations, Outbox outbox,
               ApplicationEventPublisher events, EnrolmentProperties properties, Fleet fleet, EnrolmentTokens tokens) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.batches = batches;
        this.live = live;
        this.instances = instances;
        this.organizations = organizations;
        this.outbox = outbox;
        this.events = events;
        this.properties = properties;
        this.fleet = fleet;
        this.tokens = tokens;
    }

    @KafkaListener(id = CONSUMER, topics = "#{T(ai.moolai.protocol.kafka.Topics).ENROLMENTS.name()}",
            groupId = "control-api-enrolments")
    void intake(List<ConsumerRecord<String, byte[]>> records) {
        batches.handle(CONSUMER, Topics.ENROLMENTS, records, RecordReader.of(Topics.ENROLMENTS),
                batch -> transactions.executeWithoutResult(status -> store(batch)));
    }

    /**
     * A session that entered the waiting room writes its whole request (never over a later one);
     * a heartbeat moves its "last seen"; a close marks it no longer waiting. A request made over HTTP
     * writes one that is not waiting, and of one already there changes only when it was last heard.
     * Every statement is idempotent, so a batch retried or split stores nothing twice. An id
     * registered meanwhile is not asked about again.
     */
    private void store(List<Enrolment> batch) {
        TextArrays entered = new TextArrays(14);
        TextArrays asked = new TextArrays(14);
        TextArrays heard = new TextArrays(4);
        // One row per id (per id and session for heartbeats and closes) in each statement: the last
        // record of the batch, in the order its edge wrote them.
        Map<String, Enrolment> latest = new LinkedHashMap<>();
        for (Enrolment e : batch) {
            boolean requested = e.kind() == Enrolment.Kind.WAITING || e.kind() == Enrolment.Kind.ASKED;
            latest.put((requested ? e.kind() + "\u0000" : "heard\u0000" + e.sessionId() + "\u0000") + e.orchestratorId(), e);
        }
        for (Enrolment e : latest.values()) {
            if (e.kind() == Enrolment.Kind.WAITING || e.kind() == Enrolment.Kind.ASKED) {
                var client = e.client();
                (e.kind() == Enrolment.Kind.WAITING ? entered : asked).add(e.orchestratorId(), e.sessionId(), e.edgeId(),
                        client == null ? null : client.version(), client == null ? null : client.hostname(),
                        client == null ? null : client.ip(), e.name(), e.location(),
                        e.features() == null ? null : Json.events().writeValueAsString(e.features()), e.remoteAddress(),
                        e.keyHash(), e.enrolmentTokenId(), e.kind() == Enrolment.Kind.WAITING, e.at());
            } else {
                heard.add(e.orchestratorId(), e.sessionId(), e.kind() == Enrolment.Kind.SEEN, e.at());
            }
        }
        if (!entered.isEmpty()) {
            jdbc.update(connection -> entered.bind(connection, REQUESTED + """
                    ON CONFLICT (orchestrator_id) DO UPDATE
                    SET session_id = EXCLUDED.session_id, edge_id = EXCLUDED.edge_id,
                        client_version = EXCLUDED.client_version, hostname = EXCLUDED.hostname, ip = EXCLUDED.ip,
                        name = EXCLUDED.name, location = EXCLUDED.location, features = EXCLUDED.features,
                        remote_address = EXCLUDED.remote_address, key_hash = EXCLUDED.key_hash,
                        enrolment_token_id = EXCLUDED.enrolment_token_id, waiting = true,
                        last_seen_at = GREATEST(r.last_seen_at, EXCLUDED.last_seen_at), entered_at = EXCLUDED.entered_at,
                        rejected_until = CASE WHEN r.rejected_until <= EXCLUDED.entered_at THEN NULL ELSE r.rejected_until END
                    WHERE r.entered_at IS NULL OR r.entered_at <= EXCLUDED.entered_at"""));
        }
        if (!asked.isEmpty()) {
            jdbc.update(connection -> asked.bind(connection, REQUESTED + """
                    ON CONFLICT (orchestrator_id) DO UPDATE
                    SET last_seen_at = GREATEST(r.last_seen_at, EXCLUDED.last_seen_at)"""));
        }
        if (!heard.isEmpty()) {
            jdbc.update(connection -> heard.bind(connection, """
                    UPDATE enrolment_requests AS r
                    SET waiting = CAST(v.waiting AS boolean),
                        last_seen_at = GREATEST(r.last_seen_at, CAST(v.at AS timestamptz))
                    FROM unnest(?, ?, ?, ?) AS v(id, session_id, waiting, at)
                    WHERE r.orchestrator_id = v.id AND r.session_id = v.session_id"""));
        }
        latest.values().stream()
                .filter(e -> e.kind() == Enrolment.Kind.WAITING && e.enrolmentTokenId() != null && e.keyHash() != null)
                .forEach(this::approveByToken);
        live.announce("enrolments", new EnrolmentsChanged(batch.size()));
    }

    /**
     * An orchestrator that enrolled with a key and an enrolment token that approves at once is
     * registered into the token's organization, the token's use counted, if the token still may
     * (valid and under its limit) and its request is still the one this record made; otherwise it
     * waits for an admin.
     */
    private void approveByToken(Enrolment entered) {
        var request = jdbc.query(WITH_TOKEN + " WHERE r.orchestrator_id = ? AND r.session_id = ? AND r.rejected_until IS NULL"
                + " FOR UPDATE OF r", Enrolments::waiting, entered.orchestratorId(), entered.sessionId()).stream().findFirst();
        if (request.isEmpty() || instances.existsById(entered.orchestratorId())) {
            return;
        }
        String organizationId = tokens.takeAutoApproval(entered.enrolmentTokenId());
        if (organizationId != null) {
            register(request.get(), entered.keyHash(), organizationId, null, null,
                    new Actor("enrolment-token:" + entered.enrolmentTokenId(), Role.ADMIN));
        }
    }

    /**
     * The {@code enrolments} event: the waiting room changed.
     *
     * @param records how many records of the edges this was
     */
    record EnrolmentsChanged(int records) {
    }

    /** The enrolment requests of ids nobody registered, the latest heard first, at most {@value #LISTED}. */
    List<WaitingOrchestrator> list() {
        return jdbc.query(WITH_TOKEN
                + " WHERE NOT EXISTS (SELECT 1 FROM orchestrator_instances i WHERE i.orchestrator_id = r.orchestrator_id)"
                + " ORDER BY r.last_seen_at DESC, r.orchestrator_id LIMIT " + LISTED, Enrolments::waiting);
    }

    /** Registers the orchestrator as the admin decided; the edge holding its waiting session admits it. */
    @Transactional
    Instance approve(String id, ApprovalRequest request, Actor actor) {
        WaitingOrchestrator waiting = locked(id);
        if (!waiting.sessionId().equals(request.sessionId())) {
            throw new EnrolmentChanged(id);
        }
        String keyHash = jdbc.queryForObject("SELECT key_hash FROM enrolment_requests WHERE orchestrator_id = ?",
                String.class, id);
        if (keyHash == null && !Boolean.TRUE.equals(request.allowTokenless())) {
            throw new IllegalArgumentException(id + " sent no enrolment key (an original client): approving it lets anyone"
                    + " connect as " + id + " without a token; say \"allowTokenless\": true to approve it so");
        }
        if (organizations.findById(request.organizationId()).isEmpty()) {
            throw new IllegalArgumentException("organization " + request.organizationId() + " does not exist");
        }
        if (waiting.enrolmentTokenId() != null) {
            tokens.used(waiting.enrolmentTokenId());
        }
        register(waiting, keyHash, request.organizationId(), request.name(), request.location(), actor);
        live.announce("enrolments", new EnrolmentsChanged(1));
        return fleet.get(id);
    }

    /** Creates the orchestrator from its request (what it said, unless the admin said otherwise) and forgets the request. */
    private void register(WaitingOrchestrator waiting, String keyHash, String organizationId, String name,
                          String location, Actor actor) {
        String id = waiting.orchestratorId();
        JsonNode features = waiting.features() != null ? waiting.features() : Json.events().createObjectNode();
        try {
            instances.save(OrchestratorInstance.enrol(id, organizationId,
                    name != null ? name : fits(waiting.name(), 1) ? waiting.name() : id,
                    location != null ? location : fits(waiting.location(), 0) ? waiting.location() : null,
                    features, keyHash, actor));
        } catch (DuplicateKeyException e) {
            throw new OrchestratorExists(id);
        }
        jdbc.update("DELETE FROM enrolment_requests WHERE orchestrator_id = ?", id);
    }

    /** Refuses the orchestrator at every edge for a while; its waiting session is closed with 4403. */
    @Transactional
    WaitingOrchestrator reject(String id, RejectionRequest request, Actor actor) {
        locked(id);
        Instant now = outbox.clock();
        Instant until = now.plus(request.duration(properties.rejectionMemory()));
        jdbc.update("UPDATE enrolment_requests SET rejected_until = ?, waiting = false WHERE orchestrator_id = ?",
                Timestamp.from(until), id);
        outbox.append(Topics.ENROLMENT_REFUSALS, id, new EnrolmentRefusal(id, until, now));
        events.publishEvent(new EnrolmentRejected(id, until, actor));
        live.announce("enrolments", new EnrolmentsChanged(1));
        return locked(id);
    }

    private WaitingOrchestrator locked(String id) {
        return jdbc.query(WITH_TOKEN + " WHERE r.orchestrator_id = ? FOR UPDATE OF r", Enrolments::waiting, id)
                .stream().findFirst().orElseThrow(() -> new EnrolmentNotFound(id));
    }

    private static boolean fits(String value, int minLength) {
        return value != null && value.length() >= minLength && value.length() <= 200;
    }

    private static WaitingOrchestrator waiting(ResultSet rs, int row) throws SQLException {
        String features = rs.getString("features");
        String keyHash = rs.getString("key_hash");
        return new WaitingOrchestrator(rs.getString("orchestrator_id"), rs.getString("session_id"), rs.getString("hostname"),
                rs.getString("client_version"), rs.getString("ip"), rs.getString("name"), rs.getString("location"),
                features == null ? null : Json.events().readTree(features), rs.getString("remote_address"),
                keyHash == null ? null : Credentials.fingerprint(keyHash), rs.getBoolean("waiting"), instant(rs, "first_seen_at"),
                instant(rs, "last_seen_at"), instant(rs, "rejected_until"), rs.getString("enrolment_token_id"),
                rs.getString("token_organization_id"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
