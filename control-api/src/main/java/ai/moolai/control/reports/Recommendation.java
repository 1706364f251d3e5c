package ai.moolai.control.reports;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import ai.moolai.control.system.Actor;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.AbstractAggregateRoot;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A recommendation an orchestrator made, as admins decide on it. report-ingest writes the rest of its
 * row; only what the decision changes is mapped here.
 */
@Table("recommendations")
class Recommendation extends AbstractAggregateRoot<Recommendation> {

    /** Where a recommendation stands. */
    enum Status {
        PENDING, ACCEPTED, REJECTED
    }

    @Id
    private final Long id;
    private final String orchestratorId;
    private final String title;
    private Status status;
    private String decidedBy;
    private Instant decidedAt;
    private String decisionNote;

    Recommendation(Long id, String orchestratorId, String title, Status status, String decidedBy, Instant decidedAt,
                   String decisionNote) {
        this.id = id;
        this.orchestratorId = orchestratorId;
        this.title = title;
        this.status = status;
        this.decidedBy = decidedBy;
        this.decidedAt = decidedAt;
        this.decisionNote = decisionNote;
    }

    /**
     * Accepts or rejects it, once.
     *
     * @throws RecommendationAlreadyDecided when it was decided before
     */
    void decide(DecisionRequest.Decision decision, String note, Actor by) {
        if (status != Status.PENDING) {
            throw new RecommendationAlreadyDecided(id, status.name().toLowerCase(Locale.ROOT));
        }
        status = Status.valueOf(decision.name());
        decidedBy = by.subject();
        decidedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        decisionNote = note;
        registerEvent(new RecommendationDecided(id, orchestratorId, title, decision, note, by));
    }
}
