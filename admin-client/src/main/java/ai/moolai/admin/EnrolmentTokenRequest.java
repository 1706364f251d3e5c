package ai.moolai.admin;

/**
 * A new enrolment token for an organization.
 *
 * @param description      what it is for
 * @param autoApprove      whether an orchestrator enrolling with it is approved at once
 * @param expiresInSeconds how long it works ({@code null}: a week)
 * @param maxUses          how many orchestrators it may enrol ({@code null}: no limit)
 */
public record EnrolmentTokenRequest(String description, Boolean autoApprove, Long expiresInSeconds, Integer maxUses) {
}
