package ai.moolai.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;

import ai.moolai.admin.ActivityEntry;
import ai.moolai.admin.AdminApi;
import ai.moolai.admin.DecisionRequest;
import ai.moolai.admin.Independence;
import ai.moolai.admin.IndependenceRequest;
import ai.moolai.admin.Instance;
import ai.moolai.admin.InstanceRequest;
import ai.moolai.admin.Organization;
import ai.moolai.admin.OrganizationRequest;
import ai.moolai.admin.Recommendation;
import ai.moolai.admin.Report;
import ai.moolai.protocol.Json;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * The tools' typed client ({@code admin-client}) against the real API: every call it makes reads
 * and writes the JSON control-api serves, and a refusal reaches the caller with its status and
 * problem detail. Reports and recommendations are inserted as report-ingest stores them.
 */
@ControlApiTest
class AdminApiTest {

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcClient jdbc;

    private AdminApi admin;
    private String organization;

    @BeforeEach
    void client() {
        admin = new ApiClient(port).admin();
        organization = "typed-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createsChangesListsAndDeletesOrganizationsAndOrchestrators() {
        Organization created = admin.createOrganization(new OrganizationRequest(organization, "Typed " + organization,
                "eu-1", null, Json.events().valueToTree(Map.of("tier", "gold"))));
        assertThat(created.isActive()).isTrue();
        assertThat(created.settings().path("tier").asString()).isEqualTo("gold");
        assertThat(admin.updateOrganization(organization, new OrganizationRequest(null, "Renamed " + organization, "eu-2",
                false, null)).isActive()).isFalse();
        assertThat(admin.organizations(organization, null, 10).items()).extracting(Organization::name)
                .containsExactly("Renamed " + organization);

        Instance.WithToken instance = admin.createInstance(new InstanceRequest(organization + "-1", organization, null,
                "eu-1", Json.events().valueToTree(Map.of("cache", Map.of("enabled", true)))));
        String id = instance.orchestratorId();
        assertThat(instance.token()).startsWith("mo_");
        assertThat(instance.instance().organizationName()).isEqualTo("Renamed " + organization);
        assertThat(instance.instance().liveness().status()).isEqualTo("PENDING");
        assertThat(admin.updateInstance(id, new InstanceRequest(null, null, "First", "eu-3", null)).desiredVersion()).isEqualTo(2);
        Instance read = admin.instance(id);
        assertThat(read.name()).isEqualTo("First");
        assertThat(read.features().path("cache").path("enabled").asBoolean()).isTrue();
        assertThat(read.hasCredential()).isTrue();
        assertThat(admin.instances(organization, "PENDING", null, null).items()).extracting(Instance::orchestratorId)
                .containsExactly(id);
        assertThat(admin.rotateCredentials(id).token()).startsWith("mo_").isNotEqualTo(instance.token());
        assertThat(admin.live().counts()).containsKeys("PENDING", "ACTIVE", "INACTIVE", "INDEPENDENT");
        assertThat(admin.transitions(id, null, 10).total()).isZero();

        assertThatThrownBy(() -> admin.deleteOrganization(organization))
                .isInstanceOfSatisfying(RestClientResponseException.class, refused -> {
                    assertThat(refused.getStatusCode().value()).isEqualTo(409);
                    assertThat(refused.getResponseBodyAsString()).contains("\"detail\"");
                });
        admin.deleteInstance(id);
        admin.deleteOrganization(organization);
        assertThatThrownBy(() -> admin.organization(organization)).isInstanceOfSatisfying(RestClientResponseException.class,
                missing -> assertThat(missing.getStatusCode().value()).isEqualTo(404));
    }

    @Test
    void setsAnOrchestratorFreeAndReadsTheHandshakesProgress() {
        String id = createOrchestrator();

        Independence requested = admin.setIndependence(id, new IndependenceRequest(true, true));

        assertThat(requested.orchestratorId()).isEqualTo(id);
        assertThat(requested.isIndependent()).isTrue();
        assertThat(requested.privacyMode()).isTrue();
        assertThat(requested.acknowledged()).as("no orchestrator has confirmed it").isFalse();
        assertThat(admin.independence(id).version()).isEqualTo(requested.version()).isEqualTo(admin.instance(id).desiredVersion());
    }

    @Test
    void readsReportsAndDecidesARecommendationOnceWithItsNoteInTheActivityLog() {
        String id = createOrchestrator();
        UUID report = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO orchestrator_reports (orchestrator_id, message_id, kind, received_at, data)
                        VALUES (:o, :m, 'monitoring_report', now(), '{"cpu_pct": 41.5}')""")
                .param("o", id).param("m", report).update();
        long recommendation = jdbc.sql("""
                        INSERT INTO recommendations (orchestrator_id, message_id, title, severity, category, proposed_action, data,
                                                     received_at)
                        VALUES (:o, :m, 'Enable response cache', 'warning', 'performance', '{"feature":"cache"}', '{}', now())
                        RETURNING id""")
                .param("o", id).param("m", UUID.randomUUID()).query(Long.class).single();

        Report read = admin.reports(id, null, null).items().get(0);
        assertThat(read.messageId()).isEqualTo(report);
        assertThat(read.kind()).isEqualTo("monitoring_report");
        assertThat(read.data().path("cpu_pct").asDouble()).isEqualTo(41.5);
        assertThat(admin.recommendations(id, "PENDING", null, null).items()).extracting(Recommendation::id)
                .containsExactly(recommendation);

        Recommendation decided = admin.decide(recommendation, new DecisionRequest(DecisionRequest.Decision.ACCEPTED, "saves calls"));

        assertThat(decided.status()).isEqualTo("ACCEPTED");
        assertThat(decided.decidedBy()).isEqualTo("token:dev");
        assertThat(admin.recommendation(recommendation).proposedAction().path("feature").asString()).isEqualTo("cache");
        assertThatThrownBy(() -> admin.decide(recommendation, new DecisionRequest(DecisionRequest.Decision.REJECTED, null)))
                .isInstanceOfSatisfying(RestClientResponseException.class, refused -> {
                    assertThat(refused.getStatusCode().value()).isEqualTo(409);
                    assertThat(refused.getResponseBodyAsString()).contains("\"status\":409");
                });
        ActivityEntry entry = admin.activity("recommendation", Long.toString(recommendation), null, null).items().get(0);
        assertThat(entry.action()).isEqualTo("recommendation.accepted");
        assertThat(entry.details().path("note").asString()).isEqualTo("saves calls");
    }

    private String createOrchestrator() {
        admin.createOrganization(new OrganizationRequest(organization, organization, null, null, null));
        return admin.createInstance(new InstanceRequest(null, organization, null, null, null)).orchestratorId();
    }
}
