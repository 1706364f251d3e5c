package ai.moolai.control.instances;

import com.fasterxml.jackson.annotation.JsonAlias;
import jakarta.validation.constraints.NotNull;

/**
 * An admin's independence decision; the seed's snake_case names are accepted too.
 *
 * @param isIndependent whether the orchestrator is to run independently
 * @param privacyMode   whether it is to share nothing while independent (default: unchanged)
 */
record IndependenceRequest(
        @NotNull @JsonAlias("is_independent") Boolean isIndependent,
        @JsonAlias("privacy_mode") Boolean privacyMode) {
}
