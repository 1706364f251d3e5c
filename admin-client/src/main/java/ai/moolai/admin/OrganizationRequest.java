package ai.moolai.admin;

import tools.jackson.databind.JsonNode;

/**
 * An organization to create, or what to change in one.
 *
 * @param organizationId its id, on creation only (made from the name when {@code null})
 * @param name           its display name
 * @param location       where it is
 * @param isActive       whether it is active (active when {@code null})
 * @param settings       free-form settings, a JSON object
 */
public record OrganizationRequest(String organizationId, String name, String location, Boolean isActive,
                                  JsonNode settings) {
}
