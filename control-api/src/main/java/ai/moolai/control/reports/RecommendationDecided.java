package ai.moolai.control.reports;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import ai.moolai.control.activity.Audited;
import ai.moolai.control.system.Actor;

/**
 * An admin accepted or rejected a recommendation; the activity log records it.
 *
 * @param id             the recommendation
 * @param orchestratorId the orchestrator that made it
 * @param title          its title
 * @param decision       what was decided
 * @param note           why, if said
 * @param actor          who
 */
record RecommendationDecided(long id, String orchestratorId, String title, DecisionRequest.Decision decision,
                             String note, Actor actor) implements Audited {

    @Override
    public String action() {
        return "recommendation." + decision.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String targetType() {
        return "recommendation";
    }

    @Override
    public String targetId() {
        return Long.toString(id);
    }

    @Override
    public Map<String, ?> details() {
        Map<String, Object> details = new HashMap<>();
        details.put("orchestratorId", orchestratorId);
        details.put("title", title);
        details.put("note", note);
        return details;
    }
}
