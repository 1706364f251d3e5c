package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.kafka.SessionEvent;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.TopicProbe;
import ai.moolai.testsupport.TestOrchestrator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Stopping an edge closes every session with 1001 and publishes each disconnect before it exits. */
class EdgeShutdownTest {

    @Test
    void closesSessionsWithEdgeShutdownAndFlushesTheirDisconnects() throws Exception {
        ConfigurableApplicationContext edge = new SpringApplicationBuilder(WsEdgeApplication.class)
                .run("--server.port=0", "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                        "--edge.id=edge-stopping");
        int port = ((WebServerApplicationContext) edge).getWebServer().getPort();
        try (TopicProbe<SessionEvent> events = TopicProbe.of(Topics.SESSION_EVENTS);
             Fleet fleet = new Fleet(edge.getBean(DesiredStateView.class))) {
            Fleet.Member member = fleet.register();
            TestOrchestrator orchestrator = TestOrchestrator.handshaken(port, member.id(), member.token());

            edge.close();

            assertThat(orchestrator.awaitClose()).isEqualTo(new TestOrchestrator.Close(1001, "edge_shutdown"));
            SessionEvent closed = events.await(member.id(), event -> event.kind() == SessionEvent.Kind.DISCONNECTED);
            assertThat(closed.closedBy()).isEqualTo(SessionEvent.ClosedBy.EDGE);
            assertThat(closed.edgeId()).isEqualTo("edge-stopping");
        } finally {
            edge.close();
        }
    }
}
