package ai.moolai.devstack;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.moolai.admin.AdminApi;
import ai.moolai.admin.Instance;
import ai.moolai.admin.InstanceRequest;
import ai.moolai.admin.OrganizationRequest;
import ai.moolai.protocol.Json;
import org.springframework.web.client.HttpClientErrorException;
import tools.jackson.databind.JsonNode;

/**
 * Demo orchestrators, provisioned through control-api like any other: the organization
 * {@code demo} and orchestrators {@code demo-1} … {@code demo-N}, each with a fresh token (created,
 * or rotated when it exists from an earlier run, since a token is shown only once).
 */
final class DemoFleet {

    private static final JsonNode FEATURES = Json.events().valueToTree(Map.of("cache", Map.of("enabled", false)));

    private final AdminApi api;

    DemoFleet(URI api, String adminToken) {
        this.api = AdminApi.connect(api, adminToken);
    }

    /** Each demo orchestrator with its current token. */
    List<Instance.WithToken> provision(int count) {
        try {
            api.createOrganization(new OrganizationRequest("demo", "Demo Fleet", "local", null, null));
        } catch (HttpClientErrorException.Conflict fromAnEarlierRun) {
            // kept as it is
        }
        List<Instance.WithToken> members = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String id = "demo-" + i;
            try {
                members.add(api.createInstance(new InstanceRequest(id, "demo", "Demo " + i, "local", FEATURES)));
            } catch (HttpClientErrorException.Conflict fromAnEarlierRun) {
                members.add(api.rotateCredentials(id));
            }
        }
        return members;
    }
}
