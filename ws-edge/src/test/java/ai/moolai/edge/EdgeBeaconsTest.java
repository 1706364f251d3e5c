package ai.moolai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.TestKafka;
import ai.moolai.testsupport.TopicProbe;
import ai.moolai.testsupport.TestOrchestrator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An edge beacons while it runs, counting its sessions, and says it is stopping in its last beacon,
 * after its sessions are closed.
 */
class EdgeBeaconsTest {

    @Test
    void beaconsWithItsSessionCountAndSaysItIsStoppingLast() throws Exception {
        ConfigurableApplicationContext edge = new SpringApplicationBuilder(WsEdgeApplication.class)
                .run("--server.port=0", "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                        "--edge.id=edge-beaconing", "--edge.beacon-interval=200ms");
        int port = ((WebServerApplicationContext) edge).getWebServer().getPort();
        try (TopicProbe<EdgeBeacon> beacons = TopicProbe.of(Topics.EDGE_BEACONS);
             Fleet fleet = new Fleet(edge.getBean(DesiredStateView.class))) {
            beacons.await("edge-beaconing", beacon -> beacon.sessions() == 0 && beacon.publishing());
            Fleet.Member member = fleet.register();
            TestOrchestrator.handshaken(port, member.id(), member.token());
            beacons.await("edge-beaconing", beacon -> beacon.sessions() == 1 && !beacon.stopping());

            edge.close();

            EdgeBeacon last = beacons.await("edge-beaconing", EdgeBeacon::stopping);
            assertThat(last.sessions()).as("its sessions were closed first").isZero();
            assertThat(beacons.values("edge-beaconing")).filteredOn(EdgeBeacon::stopping)
                    .as("one last beacon to each partition").isNotEmpty()
                    .allSatisfy(beacon -> assertThat(beacon.at()).isEqualTo(last.at()));
        } finally {
            edge.close();
        }
    }
}
