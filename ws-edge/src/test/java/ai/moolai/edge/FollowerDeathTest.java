package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

import ai.moolai.edge.desiredstate.DesiredStateChanged;
import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.Http;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.TestOrchestrator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.context.support.GenericApplicationContext;

/**
 * An edge whose desired-state follower dies stops vouching for anyone: liveness and readiness go
 * DOWN, upgrades get 503, and every socket, admitted or still awaiting its handshake, is sent
 * elsewhere, because the view it was or would be checked against is frozen.
 *
 * <p>The follower is killed the way a real bug would kill it: a listener of desired-state
 * changes, which runs on the follower's thread, throws on one orchestrator's record. The listener
 * belongs to this edge alone, started in an application context of its own and closed at the end.
 */
class FollowerDeathTest {

    @Test
    void aDeadFollowerTakesTheEdgeOutOfLivenessAndReadinessAndRefusesHandshakes() throws Exception {
        String doomed = doomedId();
        ConfigurableApplicationContext edge = startEdgeWithBugFor(doomed);
        int port = ((WebServerApplicationContext) edge).getWebServer().getPort();
        int management = managementPort(edge);
        try (Fleet fleet = new Fleet(edge.getBean(DesiredStateView.class))) {
            Fleet.Member member = fleet.register();
            assertThat(Http.get(management, "/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(Http.get(management, "/actuator/health/readiness").statusCode()).isEqualTo(200);

            try (TestOrchestrator upgradedBefore = TestOrchestrator.connect(port);
                 TestOrchestrator admitted = TestOrchestrator.handshaken(port, member.id(), member.token())) {
                register(doomed);

                await().atMost(Duration.ofSeconds(15))
                        .until(() -> Http.get(management, "/actuator/health/liveness").statusCode() == 503);
                assertThat(Http.get(management, "/actuator/health/liveness").body()).contains("\"status\":\"DOWN\"");
                var readiness = Http.get(management, "/actuator/health/readiness", Http.MANAGEMENT_TOKEN);
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(readiness.body()).contains("\"status\":\"DOWN\"", "dead: ");
                assertThat(TestOrchestrator.upgradeStatus(port)).isEqualTo(503);
                assertThat(admitted.awaitClose()).as("no session stays on a frozen view")
                        .isEqualTo(new TestOrchestrator.Close(1001, "edge_shutdown"));

                assertThat(upgradedBefore.awaitClose()).as("nor a socket that might yet send its handshake")
                        .isEqualTo(new TestOrchestrator.Close(1001, "edge_shutdown"));
            }
        } finally {
            edge.close();
        }
    }

    /**
     * The edge's start is held until the follower has died, so that the death comes before Spring
     * Boot declares the application live, as a slow start would have it.
     */
    @Test
    void aFollowerThatDiesBeforeTheEdgeHasStartedLeavesItBroken() throws Exception {
        String doomed = doomedId();
        register(doomed);

        ConfigurableApplicationContext edge = startEdgeWithBugFor(doomed, context -> context.registerBean(StartHeld.class));
        int port = ((WebServerApplicationContext) edge).getWebServer().getPort();
        int management = managementPort(edge);
        try {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> Http.get(management, "/actuator/health/liveness").statusCode() == 503);
            assertThat(Http.get(management, "/actuator/health/readiness").statusCode()).isEqualTo(503);
            assertThat(TestOrchestrator.upgradeStatus(port)).isEqualTo(503);
        } finally {
            edge.close();
        }
    }

    private static String doomedId() {
        return "doomed-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void register(String orchestratorId) {
        TestKafka.send(Topics.DESIRED_STATE, orchestratorId, new DesiredState(orchestratorId, "acme", "Doomed", "eu-1",
                null, false, false, 1, null, false, Instant.now()));
    }

    private static ConfigurableApplicationContext startEdgeWithBugFor(String orchestratorId) {
        return startEdgeWithBugFor(orchestratorId, context -> {
        });
    }

    private static ConfigurableApplicationContext startEdgeWithBugFor(String orchestratorId,
                                                                      Consumer<GenericApplicationContext> more) {
        return new SpringApplicationBuilder(WsEdgeApplication.class)
                .initializers(context -> {
                    GenericApplicationContext edge = (GenericApplicationContext) context;
                    edge.registerBean(ListenerBug.class, () -> new ListenerBug(orchestratorId));
                    more.accept(edge);
                })
                // A socket upgraded before the follower dies must still be awaiting its handshake when it does.
                .run("--server.port=0", "--management.server.port=0", "--management-access.token=" + Http.MANAGEMENT_TOKEN,
                        "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(), "--edge.handshake-timeout=30s");
    }

    private static int managementPort(ConfigurableApplicationContext edge) {
        return edge.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
    }

    /** Starts after the desired-state view, and not before its follower has died. */
    static final class StartHeld implements SmartLifecycle {

        private final DesiredStateView view;
        private volatile boolean running;

        StartHeld(DesiredStateView view) {
            this.view = view;
        }

        @Override
        public void start() {
            await().atMost(Duration.ofSeconds(15)).until(() -> view.health().getStatus().equals(Status.DOWN));
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }

    /** A listener of desired-state changes with a bug that one orchestrator's record sets off. */
    static final class ListenerBug {

        private final String trigger;

        ListenerBug(String trigger) {
            this.trigger = trigger;
        }

        @EventListener
        void on(DesiredStateChanged change) {
            if (change.orchestratorId().equals(trigger)) {
                throw new IllegalStateException("a listener's bug, set off by " + trigger);
            }
        }
    }
}
