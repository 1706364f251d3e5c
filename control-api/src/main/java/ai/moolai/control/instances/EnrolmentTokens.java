package ai.moolai.control.instances;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ai.moolai.control.organizations.Organizations;
import ai.moolai.control.outbox.Outbox;
import ai.moolai.control.system.Actor;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.EnrolmentToken;
import ai.moolai.protocol.kafka.Topics;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/**
 * Organizations' enrolment tokens: made (shown once, kept as a hash), listed, revoked, each change
 * audited and published to {@code organization.enrolment-tokens.v1} through the outbox, so every
 * edge knows which tokens enrol. Their uses are counted here, as enrolments through them are
 * approved.
 */
@Service
class EnrolmentTokens {

    private final JdbcTemplate jdbc;
    private final Organizations organizations;
    private final Outbox outbox;
    private final ApplicationEventPublisher events;

    EnrolmentTokens(JdbcTemplate jdbc, Organizations organizations, Outbox outbox, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.organizations = organizations;
        this.outbox = outbox;
        this.events = events;
    }

    @Transactional
    EnrolmentTokenView.WithToken create(String organizationId, EnrolmentTokenRequest request, Actor actor) {
        if (organizations.findById(organizationId).isEmpty()) {
            throw notFound("organization " + organizationId + " not found");
        }
        String token = Credentials.newToken();
        String tokenId = "et-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Instant now = outbox.clock();
        Instant expiresAt = now.plus(request.lifetime());
        boolean autoApprove = Boolean.TRUE.equals(request.autoApprove());
        jdbc.update("""
                        INSERT INTO enrolment_tokens (token_id, organization_id, token_hash, description, auto_approve, max_uses,
                                                      expires_at, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                tokenId, organizationId, Credentials.hash(token), request.description(), autoApprove, request.maxUses(),
                Timestamp.from(expiresAt), actor.subject(), Timestamp.from(now));
        EnrolmentTokenView view = get(organizationId, tokenId);
        published(view, Credentials.hash(token), "enrolment-token.created", actor);
        return new EnrolmentTokenView.WithToken(view, token);
    }

    List<EnrolmentTokenView> list(String organizationId) {
        if (organizations.findById(organizationId).isEmpty()) {
            throw notFound("organization " + organizationId + " not found");
        }
        return jdbc.query("SELECT * FROM enrolment_tokens WHERE organization_id = ? ORDER BY created_at DESC, token_id",
                EnrolmentTokens::view, organizationId);
    }

    /** It enrols nobody from now on, at any edge; revoking it twice changes nothing more. */
    @Transactional
    EnrolmentTokenView revoke(String organizationId, String tokenId, Actor actor) {
        get(organizationId, tokenId);
        String hash = jdbc.queryForObject("""
                UPDATE enrolment_tokens SET revoked_at = COALESCE(revoked_at, clock_timestamp())
                WHERE token_id = ? RETURNING token_hash""", String.class, tokenId);
        EnrolmentTokenView view = get(organizationId, tokenId);
        published(view, hash, "enrolment-token.revoked", actor);
        return view;
    }

    /**
     * Takes one use of a token that approves at once, if it still may: valid, auto-approving, and
     * under its limit. Returns its organization, or {@code null} when the enrolment must wait for an
     * admin.
     */
    String takeAutoApproval(String tokenId) {
        return jdbc.query("""
                        UPDATE enrolment_tokens SET uses = uses + 1
                        WHERE token_id = ? AND auto_approve AND revoked_at IS NULL AND expires_at > clock_timestamp()
                          AND (max_uses IS NULL OR uses < max_uses)
                        RETURNING organization_id""", (rs, n) -> rs.getString(1), tokenId)
                .stream().findFirst().orElse(null);
    }

    /** Counts a use of the token an admin approved an enrolment through. */
    void used(String tokenId) {
        jdbc.update("UPDATE enrolment_tokens SET uses = uses + 1 WHERE token_id = ?", tokenId);
    }

    private EnrolmentTokenView get(String organizationId, String tokenId) {
        return jdbc.query("SELECT * FROM enrolment_tokens WHERE organization_id = ? AND token_id = ?",
                        EnrolmentTokens::view, organizationId, tokenId)
                .stream().findFirst().orElseThrow(() -> notFound("no enrolment token " + tokenId + " in " + organizationId));
    }

    private void published(EnrolmentTokenView view, String hash, String action, Actor actor) {
        outbox.append(Topics.ENROLMENT_TOKENS, view.tokenId(), new EnrolmentToken(view.tokenId(), view.organizationId(),
                hash, view.expiresAt(), view.revokedAt() != null, view.autoApprove(), outbox.clock()));
        Map<String, Object> details = new HashMap<>();
        details.put("organizationId", view.organizationId());
        details.put("autoApprove", view.autoApprove());
        details.put("expiresAt", view.expiresAt().toString());
        details.put("maxUses", view.maxUses() == null ? "unlimited" : view.maxUses());
        events.publishEvent(new EnrolmentTokenEvent(view.tokenId(), action, details, actor));
    }

    private static ErrorResponseException notFound(String detail) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail),
                null);
    }

    private static EnrolmentTokenView view(ResultSet rs, int row) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        int maxUses = rs.getInt("max_uses");
        boolean unlimited = rs.wasNull();
        return new EnrolmentTokenView(rs.getString("token_id"), rs.getString("organization_id"), rs.getString("description"),
                rs.getBoolean("auto_approve"), unlimited ? null : maxUses, rs.getInt("uses"),
                rs.getTimestamp("expires_at").toInstant(), revoked == null ? null : revoked.toInstant(),
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
    }
}
