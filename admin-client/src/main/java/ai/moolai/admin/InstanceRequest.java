package ai.moolai.admin;

import tools.jackson.databind.JsonNode;

/**
 * An orchestrator to create, or what to change in one.
 *
 * @param orchestratorId its id, on creation only (the organization's id when {@code null})
 * @param organizationId the organization it serves, on creation only
 * @param name           its display name (the organization's name when {@code null})
 * @param location       where it runs
 * @param features       its feature switches, a JSON object
 */
public record InstanceRequest(String orchestratorId, String organizationId, String name, String location,
                              JsonNode features) {
}
