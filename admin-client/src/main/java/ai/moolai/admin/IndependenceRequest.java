package ai.moolai.admin;

/**
 * An admin's decision to set an orchestrator free or take it back.
 *
 * @param isIndependent whether it is to run independently
 * @param privacyMode   whether it is to share nothing while free ({@code null}: as it is)
 */
public record IndependenceRequest(boolean isIndependent, Boolean privacyMode) {
}
