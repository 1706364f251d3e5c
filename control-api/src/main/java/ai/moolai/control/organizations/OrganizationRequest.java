package ai.moolai.control.organizations;

import ai.moolai.control.system.Ids;
import ai.moolai.protocol.Storable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/**
 * Creating or changing an organization.
 *
 * @param organizationId its id, on creation only; made from the name when absent
 * @param name           display name
 * @param location       where it is
 * @param isActive       whether it is active (default true)
 * @param settings       free-form settings, a JSON object
 */
record OrganizationRequest(
        @Pattern(regexp = Ids.PATTERN, message = "letters, digits, '.', '_' or '-', at most 64") String organizationId,
        @NotBlank @Size(max = 200) String name,
        @Size(max = 200) String location,
        Boolean isActive,
        JsonNode settings) {

    OrganizationRequest {
        if (settings != null && !settings.isNull() && !settings.isObject()) {
            throw new IllegalArgumentException("settings must be a JSON object");
        }
        Storable.require("name", name);
        Storable.require("location", location);
        Storable.require("settings", settings);
    }
}
