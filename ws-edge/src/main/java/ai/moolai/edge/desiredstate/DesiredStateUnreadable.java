package ai.moolai.edge.desiredstate;

/**
 * The latest desired-state record of one orchestrator could not be read. Its credential can no
 * longer be checked, so the edge has forgotten it and refuses the orchestrator (1013, try again
 * later), its open session included, until a readable record or a tombstone arrives.
 *
 * @param orchestratorId the orchestrator, the record's key
 * @param reason         why the record could not be read
 */
public record DesiredStateUnreadable(String orchestratorId, String reason) {
}
