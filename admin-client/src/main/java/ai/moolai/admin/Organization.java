package ai.moolai.admin;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * An organization, a customer the fleet serves.
 *
 * @param organizationId    its id
 * @param name              its display name
 * @param location          where it is
 * @param isActive          whether it is active
 * @param settings          free-form settings, a JSON object
 * @param orchestratorCount how many orchestrators serve it
 * @param createdAt         when it was created
 * @param updatedAt         when it last changed
 */
public record Organization(String organizationId, String name, String location, boolean isActive, JsonNode settings,
                           long orchestratorCount, Instant createdAt, Instant updatedAt) {
}
