package ai.moolai.control.instances;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A new enrolment token for an organization.
 *
 * @param description      what it is for, for the admins
 * @param autoApprove      whether an orchestrator enrolling with it is approved at once (default: no, it waits)
 * @param expiresInSeconds how long it works (default a week, at most a year)
 * @param maxUses          how many orchestrators it may enrol (default: no limit)
 */
record EnrolmentTokenRequest(@Size(max = 200) String description, Boolean autoApprove,
                             @Positive @Max(31_536_000) Long expiresInSeconds, @Positive Integer maxUses) {

    Duration lifetime() {
        return expiresInSeconds == null ? Duration.ofDays(7) : Duration.ofSeconds(expiresInSeconds);
    }
}
