package ai.moolai.control.reports;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Role;
import org.junit.jupiter.api.Test;

/** A recommendation is decided once. */
class RecommendationTest {

    private static final Actor ADMIN = new Actor("token:test", Role.ADMIN);

    @Test
    void refusesASecondDecision() {
        Recommendation recommendation = new Recommendation(7L, "edge-1", "Add a cache", Recommendation.Status.PENDING,
                null, null, null);
        recommendation.decide(DecisionRequest.Decision.ACCEPTED, "yes", ADMIN);

        assertThatThrownBy(() -> recommendation.decide(DecisionRequest.Decision.REJECTED, "no", ADMIN))
                .isInstanceOf(RecommendationAlreadyDecided.class)
                .hasMessageContaining("recommendation 7 was already accepted");
    }
}
