package ai.moolai.admin;

/**
 * An admin's rejection of an enrolment.
 *
 * @param forSeconds how long the edges refuse the id ({@code null}: control-api's default, a day)
 */
public record RejectionRequest(Long forSeconds) {
}
