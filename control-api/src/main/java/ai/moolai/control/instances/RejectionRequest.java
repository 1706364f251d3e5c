package ai.moolai.control.instances;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/**
 * An admin's rejection of an enrolment.
 *
 * @param forSeconds how long the edges refuse the id; by default {@code controller.enrolment.rejection-memory}
 */
record RejectionRequest(@Positive @Max(31_536_000) Long forSeconds) {

    Duration duration(Duration fallback) {
        return forSeconds == null ? fallback : Duration.ofSeconds(forSeconds);
    }
}
