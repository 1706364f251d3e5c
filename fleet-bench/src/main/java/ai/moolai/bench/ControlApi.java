package ai.moolai.bench;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ai.moolai.admin.AdminApi;
import ai.moolai.admin.Instance;
import ai.moolai.admin.InstanceRequest;
import ai.moolai.admin.OrganizationRequest;

/**
 * The controller as the benchmarks reach it: control-api's admin API with an admin token
 * ({@code --api}, {@code --token}, see {@link StackToken#ADMIN}) and its database ({@code --jdbc},
 * {@code --db-user}, {@code --db-password}), each defaulting to {@code ./dev-stack/run}'s.
 */
final class ControlApi {

    private ControlApi() {
    }

    static AdminApi connect(Map<String, String> options) throws IOException {
        return AdminApi.connect(URI.create(options.getOrDefault("api", "http://127.0.0.1:8080")), StackToken.ADMIN.from(options));
    }

    /** The controller's database, for what no endpoint tells: outbox timestamps, pg_stat counters. */
    static Connection database(Map<String, String> options) throws SQLException {
        return DriverManager.getConnection(options.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:5432/moolai_controller"),
                options.getOrDefault("db-user", "moolai"), options.getOrDefault("db-password", "moolai"));
    }

    /** Creates an organization and {@code count} orchestrators in it ({@code organization-N}), 16 requests at a time. */
    static List<SimulatedFleet.Member> provision(AdminApi api, String organization, int count) throws Exception {
        api.createOrganization(new OrganizationRequest(organization, organization, null, null, null));
        ExecutorService requests = Executors.newFixedThreadPool(16);
        try {
            List<Future<Instance.WithToken>> created = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                InstanceRequest instance = new InstanceRequest(organization + "-" + i, organization, null, null, null);
                created.add(requests.submit(() -> api.createInstance(instance)));
            }
            List<SimulatedFleet.Member> members = new ArrayList<>(count);
            for (Future<Instance.WithToken> instance : created) {
                members.add(new SimulatedFleet.Member(instance.get().orchestratorId(), instance.get().token()));
            }
            return members;
        } finally {
            requests.shutdownNow();
        }
    }
}
