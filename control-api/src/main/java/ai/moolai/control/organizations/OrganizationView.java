package ai.moolai.control.organizations;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * An organization as the API shows it.
 *
 * @param organizationId    its id
 * @param name              display name, unique ignoring case
 * @param location          where it is
 * @param isActive          whether it is active
 * @param settings          free-form settings, a JSON object
 * @param orchestratorCount how many orchestrators it has
 * @param createdAt         when it was created
 * @param updatedAt         when it last changed
 */
@Schema(name = "Organization")
record OrganizationView(String organizationId, String name, String location, boolean isActive, JsonNode settings,
                           long orchestratorCount, Instant createdAt, Instant updatedAt) {
}
