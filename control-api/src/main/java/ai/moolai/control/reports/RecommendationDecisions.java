package ai.moolai.control.reports;

import ai.moolai.control.system.Actor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Admins accept or reject recommendations, each once; the activity log records it in the same transaction. */
@Service
class RecommendationDecisions {

    private final Recommendations recommendations;
    private final RecommendationInbox inbox;

    RecommendationDecisions(Recommendations recommendations, RecommendationInbox inbox) {
        this.recommendations = recommendations;
        this.inbox = inbox;
    }

    @Transactional
    RecommendationInbox.View decide(long id, DecisionRequest request, Actor actor) {
        Recommendation recommendation = recommendations.findLockedById(id).orElseThrow(() -> new RecommendationNotFound(id));
        recommendation.decide(request.decision(), request.note(), actor);
        recommendations.save(recommendation);
        return inbox.get(id);
    }
}
