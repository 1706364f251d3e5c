package ai.moolai.control.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.SseClient;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reports and recommendations as report-ingest stores them (inserted here directly), read and decided through the API. */
@ControlApiTest
class RecommendationsApiTest {

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcClient jdbc;

    private ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    private long recommend(String orchestratorId, String title, String severity, int ageSeconds) {
        return jdbc.sql("""
                        INSERT INTO recommendations (orchestrator_id, message_id, title, severity, category, proposed_action, data,
                                                     received_at)
                        VALUES (:o, :m, :t, :s, 'performance', '{"feature":"cache","enabled":true}', '{}',
                                now() - make_interval(secs => :age))
                        RETURNING id""")
                .param("o", orchestratorId).param("m", UUID.randomUUID()).param("t", title).param("s", severity)
                .param("age", ageSeconds).query(Long.class).single();
    }

    @Test
    void listsPendingFirstAndRecordsEachDecision() {
        String id = api.createOrchestrator("recs").orchestratorId();
        long older = recommend(id, "Enable response cache", "warning", 60);
        long newer = recommend(id, "Add a replica", "info", 0);

        var accepted = api.post("/api/v1/controller/recommendations/" + older + "/decision", ApiClient.ADMIN,
                "{\"decision\":\"ACCEPTED\",\"note\":\"saves 38% of calls\"}");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body().path("status").asString()).isEqualTo("ACCEPTED");
        assertThat(accepted.body().path("decidedBy").asString()).isEqualTo("token:dev");

        var inbox = api.get("/api/v1/controller/recommendations?orchestratorId=" + id, ApiClient.VIEWER).body().path("items");
        assertThat(inbox.valueStream().map(r -> r.path("id").asLong()).toList()).containsExactly(newer, older);
        assertThat(api.get("/api/v1/controller/orchestrator-instances/" + id + "/recommendations", ApiClient.VIEWER)
                .body().path("total").asLong()).isEqualTo(2);
        assertThat(api.get("/api/v1/controller/recommendations?orchestratorId=" + id + "&status=PENDING", ApiClient.VIEWER)
                .body().path("total").asLong()).isEqualTo(1);

        var again = api.post("/api/v1/controller/recommendations/" + older + "/decision", ApiClient.ADMIN,
                "{\"decision\":\"REJECTED\"}");
        assertThat(again.status()).isEqualTo(409);

        var log = api.get("/api/v1/controller/activity?action=recommendation&targetId=" + older, ApiClient.VIEWER).body();
        assertThat(log.path("items").get(0).path("action").asString()).isEqualTo("recommendation.accepted");
        assertThat(log.path("items").get(0).path("details").path("note").asString()).isEqualTo("saves 38% of calls");
    }

    @Test
    void refusesBadDecisions() {
        String id = api.createOrchestrator("badrec").orchestratorId();
        long recommendation = recommend(id, "Tune GC", "info", 0);
        String path = "/api/v1/controller/recommendations/" + recommendation + "/decision";

        assertThat(api.post(path, ApiClient.ADMIN, "{\"decision\":\"MAYBE\"}").status()).isEqualTo(400);
        assertThat(api.post(path, ApiClient.ADMIN, "{}").status()).isEqualTo(400);
        assertThat(api.post(path, ApiClient.ADMIN, "{\"decision\":\"REJECTED\",\"note\":\"" + "n".repeat(2001) + "\"}").status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/controller/recommendations/999999999/decision", ApiClient.ADMIN,
                "{\"decision\":\"REJECTED\"}").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/controller/recommendations?severity=fatal", ApiClient.VIEWER).status()).isEqualTo(400);
    }

    @Test
    void streamsANewRecommendationToTheDashboard() {
        String id = api.createOrchestrator("feed").orchestratorId();
        try (SseClient sse = SseClient.open(port, ApiClient.ADMIN).ready()) {
            long recommendation = recommend(id, "Rotate logs", "critical", 0);

            SseClient.Event event = sse.awaitEvent(e -> "recommendation".equals(e.name()) && e.data().contains(id));
            assertThat(event.data()).contains("\"id\":" + recommendation, "\"severity\":\"critical\"");
        }
    }

    @Test
    void readsReportsPerOrchestratorAndFleetWide() {
        String id = api.createOrchestrator("reports").orchestratorId();
        for (String kind : new String[] {"monitoring_report", "monitoring_report", "config_snapshot"}) {
            jdbc.sql("""
                            INSERT INTO orchestrator_reports (orchestrator_id, message_id, kind, received_at, data)
                            VALUES (:o, :m, :k, now(), '{"cpu_pct": 41.5}')""")
                    .param("o", id).param("m", UUID.randomUUID()).param("k", kind).update();
        }
        assertThat(api.get("/api/v1/controller/orchestrator-instances/" + id + "/reports", ApiClient.VIEWER)
                .body().path("total").asLong()).isEqualTo(3);
        var monitoring = api.get("/api/v1/controller/reports?orchestratorId=" + id + "&kind=monitoring_report", ApiClient.VIEWER);
        assertThat(monitoring.body().path("total").asLong()).isEqualTo(2);
        assertThat(monitoring.body().path("items").get(0).path("data").path("cpu_pct").asDouble()).isEqualTo(41.5);
        assertThat(api.get("/api/v1/controller/reports?kind=recommendation", ApiClient.VIEWER).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/controller/reports?from=yesterday", ApiClient.VIEWER).status()).isEqualTo(400);
    }
}
