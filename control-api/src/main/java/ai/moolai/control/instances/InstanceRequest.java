package ai.moolai.control.instances;

import ai.moolai.control.system.Ids;
import ai.moolai.protocol.Storable;
import ai.moolai.protocol.kafka.DesiredState;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/**
 * Creating or changing an orchestrator instance.
 *
 * @param orchestratorId its id, on creation only; the organization's id when absent (one per organization)
 * @param organizationId the organization it serves, on creation only
 * @param name           display name; the organization's name when absent
 * @param location       where it runs
 * @param features       feature switches, a JSON object the edge can read back (nested no deeper than the protocol allows)
 */
record InstanceRequest(
        @Pattern(regexp = Ids.PATTERN, message = "letters, digits, '.', '_' or '-', at most 64") String orchestratorId,
        @Pattern(regexp = Ids.PATTERN, message = "letters, digits, '.', '_' or '-', at most 64") String organizationId,
        @Size(min = 1, max = 200) String name,
        @Size(max = 200) String location,
        JsonNode features) {

    InstanceRequest {
        if (features != null && !features.isNull() && !features.isObject()) {
            throw new IllegalArgumentException("features must be a JSON object");
        }
        Storable.require("name", name);
        Storable.require("location", location);
        DesiredState.featuresProblem(features).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }
}
