package ai.moolai.control.reports;

import ai.moolai.protocol.Storable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * An admin's decision on a recommendation.
 *
 * @param decision accepted or rejected
 * @param note     why, at most 2,000 characters
 */
record DecisionRequest(@NotNull Decision decision, @Size(max = 2000) String note) {

    DecisionRequest {
        Storable.require("note", note);
    }

    /** What an admin can decide. */
    enum Decision {
        ACCEPTED, REJECTED
    }
}
