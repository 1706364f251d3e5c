package ai.moolai.admin;

/**
 * An admin's decision on a recommendation.
 *
 * @param decision accepted or rejected
 * @param note     why, at most 2,000 characters
 */
public record DecisionRequest(Decision decision, String note) {

    /** What an admin decides. */
    public enum Decision {
        ACCEPTED, REJECTED
    }
}
