package ai.moolai.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ai.moolai.admin.Independence;
import ai.moolai.admin.IndependenceRequest;
import ai.moolai.admin.Instance;
import ai.moolai.admin.Page;
import ai.moolai.admin.Recommendation;
import ai.moolai.admin.Report;
import ai.moolai.agent.AgentConfig;
import ai.moolai.agent.OrchestratorAgent;
import ai.moolai.devstack.DevStack;
import ai.moolai.protocol.Json;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole stack with real agents in their own processes: what an operator sees when an
 * orchestrator connects, crashes, stops, or is set free and taken back.
 */
@ExtendWith(E2eStack.Extension.class)
class StackEndToEndTest {

    /** How long a status change may take to reach control-api beyond its cause. */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    @Test
    void anAgentThatConnectsTurnsActive(E2eStack stack) throws Exception {
        Instance.WithToken orchestrator = stack.newOrchestrator("connects");
        try (Agent agent = stack.startAgent(orchestrator.orchestratorId(), orchestrator.token(), Map.of())) {
            awaitStatus(stack, agent, "ACTIVE", Duration.ofSeconds(60));
            Instance.Liveness liveness = stack.liveness(agent.orchestratorId());
            assertThat(liveness.connected()).isTrue();
            assertThat(liveness.lastSeen()).isNotNull();
            assertThat(stack.admin().live().orchestrators()).extracting(Instance::orchestratorId)
                    .contains(agent.orchestratorId());
        }
    }

    @Test
    void aKilledAgentTurnsInactiveWithinTheTtlAndTwoSeconds(E2eStack stack) throws Exception {
        Instance.WithToken orchestrator = stack.newOrchestrator("killed");
        try (Agent agent = stack.startAgent(orchestrator.orchestratorId(), orchestrator.token(), Map.of())) {
            awaitStatus(stack, agent, "ACTIVE", Duration.ofSeconds(60));
            agent.kill();
            awaitStatus(stack, agent, "INACTIVE", E2eStack.TTL.plus(MARGIN));
            assertThat(stack.liveness(agent.orchestratorId()).reason()).isEqualTo("heartbeat_timeout");
        }
    }

    @Test
    void aCleanlyStoppedAgentTurnsInactiveWithinTwoSeconds(E2eStack stack) throws Exception {
        Instance.WithToken orchestrator = stack.newOrchestrator("stopped");
        try (Agent agent = stack.startAgent(orchestrator.orchestratorId(), orchestrator.token(), Map.of())) {
            awaitStatus(stack, agent, "ACTIVE", Duration.ofSeconds(60));
            agent.stop();
            awaitStatus(stack, agent, "INACTIVE", MARGIN);
            Instance.Liveness liveness = stack.liveness(agent.orchestratorId());
            assertThat(liveness.reason()).isEqualTo("disconnected");
            assertThat(liveness.connected()).isFalse();
        }
    }

    @Test
    void independenceIsConfirmedByTheAgentAndRecordedInItsEnvFileThenTakenBack(E2eStack stack) throws Exception {
        Instance.WithToken orchestrator = stack.newOrchestrator("independent");
        String id = orchestrator.orchestratorId();
        try (Agent agent = stack.startAgent(id, orchestrator.token(), Map.of())) {
            awaitStatus(stack, agent, "ACTIVE", Duration.ofSeconds(60));

            stack.admin().setIndependence(id, new IndependenceRequest(true, null));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Independence state = stack.admin().independence(id);
                assertThat(state.status()).isEqualTo("INDEPENDENT");
                assertThat(state.acknowledged()).isTrue();
                assertThat(stack.liveness(id).connected()).isFalse();
            });
            assertThat(agent.env()).containsEntry("ORCHESTRATOR_INDEPENDENT", "true");
            assertThat(agent.isAlive()).as("an independent agent keeps running, polling").isTrue();

            stack.admin().setIndependence(id, new IndependenceRequest(false, null));
            awaitStatus(stack, agent, "ACTIVE", Duration.ofSeconds(15));
            assertThat(agent.env()).containsEntry("ORCHESTRATOR_INDEPENDENT", "false");
            // Back on a new session: its CONNECTED and its first heartbeat travel on two topics, and
            // whichever liveness-stream reads first makes it ACTIVE.
            List<String> history = stack.statusHistory(agent.orchestratorId());
            assertThat(history.subList(0, history.size() - 1)).containsExactly("PENDING registered", "ACTIVE connected",
                    "INDEPENDENT independence_requested", "INDEPENDENT independence_confirmed",
                    "INACTIVE independence_revoked");
            assertThat(history.get(history.size() - 1)).isIn("ACTIVE connected", "ACTIVE heartbeat");
        }
    }

    @Test
    void reportsAndRecommendationsAreReadableThroughTheApi(E2eStack stack) throws Exception {
        Instance.WithToken orchestrator = stack.newOrchestrator("reports");
        String id = orchestrator.orchestratorId();
        try (Agent agent = stack.startAgent(id, orchestrator.token(), Map.of("AGENT_REPORT_INTERVAL_SEC", "1"))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Page<Report> reports = stack.admin().reports(id, null, null);
                assertThat(reports.total()).isGreaterThanOrEqualTo(3);
                assertThat(reports.items().get(0).data().path("cpu_pct").isNumber()).isTrue();
                Page<Recommendation> recommendations = stack.admin().recommendations(id, null, null, null);
                assertThat(recommendations.total()).isGreaterThanOrEqualTo(1);
                assertThat(recommendations.items().get(0).status()).isEqualTo("PENDING");
            });
        }
    }

    @Test
    void restartingEachServiceInTurnLosesNoReportAndRaisesNoFalseInactive(E2eStack stack) throws Exception {
        Instance.WithToken running = stack.newOrchestrator("restarts");
        Instance.WithToken reporting = stack.newOrchestrator("restarts-reporting");
        Set<UUID> sent = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
        try (Agent agent = stack.startAgent(running.orchestratorId(), running.token(), Map.of("AGENT_REPORT_INTERVAL_SEC", "1"));
             OrchestratorAgent library = OrchestratorAgent.create(AgentConfig.from(Map.of(
                     "ORCHESTRATOR_ID", reporting.orchestratorId(), "ORCHESTRATOR_TOKEN", reporting.token(),
                     "CONTROLLER_WS_URL", stack.services().edgeUrl().toString(),
                     "ORCHESTRATOR_ENV_FILE", stack.home().resolve(reporting.orchestratorId() + ".env").toString(),
                     "WEBSOCKET_KEEPALIVE_INTERVAL", String.valueOf(E2eStack.KEEPALIVE.toSeconds()),
                     "AGENT_BACKOFF_BASE_MS", "200", "AGENT_BACKOFF_MAX_SEC", "2")), new OrchestratorAgent.Listener() {
             })) {
            library.start();
            awaitStatus(stack, agent, "ACTIVE", Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> stack.status(reporting.orchestratorId()), "ACTIVE"::equals);
            String session = stack.liveness(running.orchestratorId()).sessionId();
            AtomicLong sequence = new AtomicLong();
            reporter.scheduleAtFixedRate(() -> {
                try {
                    sent.add(library.report(Json.events().valueToTree(Map.of("sequence", sequence.incrementAndGet()))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 0, 250, TimeUnit.MILLISECONDS);

            for (String service : DevStack.SERVICES) {
                stack.services().restart(service);
                awaitStatus(stack, agent, "ACTIVE", E2eStack.TTL);
            }
            reporter.shutdown();
            assertThat(reporter.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(sent).hasSizeGreaterThan(40);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(library.pendingReports()).isZero());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(stack.storedReports(reporting.orchestratorId())).containsExactlyInAnyOrderElementsOf(sent));
            for (String id : List.of(running.orchestratorId(), reporting.orchestratorId())) {
                assertThat(stack.statusHistory(id)).as(id).noneMatch(transition -> transition.startsWith("INACTIVE"));
            }
            // Every service is back at work: once the agent is back on the restarted edge, a clean stop shows as
            // promptly as ever.
            await().atMost(E2eStack.TTL).until(() -> stack.liveness(running.orchestratorId()),
                    liveness -> liveness.connected() && !liveness.sessionId().equals(session));
            agent.stop();
            awaitStatus(stack, agent, "INACTIVE", MARGIN);
        } finally {
            reporter.shutdownNow();
        }
    }
    private static void awaitStatus(E2eStack stack, Agent agent, String status, Duration within) {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(100))
                    .until(() -> stack.status(agent.orchestratorId()), status::equals);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(agent.orchestratorId() + " is " + stack.status(agent.orchestratorId()) + ", not "
                    + status + ", after " + within.toSeconds() + " s; the agent's log ends:\n" + agent.log(), e);
        }
    }
}
