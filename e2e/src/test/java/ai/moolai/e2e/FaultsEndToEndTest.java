package ai.moolai.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ai.moolai.process.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The single stack (one broker, one instance of each service) through a kill -9 of each service and
 * of the broker, PostgreSQL unreachable, the edge cut off from Kafka and the broker replaced by an
 * empty one (see {@link FaultSuite}).
 */
@ExtendWith(E2eStack.Extension.class)
class FaultsEndToEndTest extends FaultSuite {

    @Test
    void underLoadNoFaultLosesAReportOrRaisesAFalseInactive(E2eStack stack) throws Exception {
        endureEach(stack, faults());
    }

    private static List<Fault> faults() {
        List<Fault> faults = new ArrayList<>();
        for (String service : List.of("ws-edge", "liveness-stream", "control-api", "report-ingest")) {
            faults.add(new Fault("kill -9 " + service + ", back after " + SERVICE_DOWN.toSeconds() + " s",
                    switch (service) {
                        case "report-ingest" -> ControlGroup.FROM_THE_KILL;
                        case "ws-edge" -> ControlGroup.FROM_ITS_EDGE_HEARD_AGAIN;
                        default -> ControlGroup.FROM_THE_FAULTS_END;
                    },
                    stack -> {
                        stack.services().crash(service, SERVICE_DOWN);
                        stack.services().running(service).get(2, TimeUnit.MINUTES);
                    }));
        }
        faults.add(new Fault("kill -9 the broker, back after " + BROKER_DOWN.toSeconds() + " s",
                ControlGroup.FROM_ITS_EDGE_HEARD_AGAIN, stack -> {
            stack.services().crash("kafka", BROKER_DOWN);
            stack.services().running("kafka").get(2, TimeUnit.MINUTES);
        }));
        faults.add(new Fault("PostgreSQL unreachable for " + OUTAGE.toSeconds() + " s", ControlGroup.FROM_THE_FAULTS_END,
                stack -> {
            stack.postgres().cut();
            TimeUnit.MILLISECONDS.sleep(OUTAGE.toMillis());
            stack.postgres().restore();
        }));
        faults.add(new Fault("ws-edge cut off from Kafka for " + OUTAGE.toSeconds() + " s",
                ControlGroup.FROM_ITS_EDGE_HEARD_AGAIN, stack -> {
            stack.edgeKafka().cut();
            TimeUnit.MILLISECONDS.sleep(OUTAGE.toMillis());
            stack.edgeKafka().restore();
        }));
        // liveness-stream's state went with the broker's data; control-api restores what it last materialized.
        // liveness-stream stops on the new cluster so that its restart builds its state afresh: the fault
        // lasts until it is back, since nothing can turn INACTIVE while it restarts.
        faults.add(new Fault("the broker replaced by an empty one", ControlGroup.FROM_ITS_EDGE_HEARD_AGAIN, stack -> {
            ChildProcess liveness = stack.services().running("liveness-stream").get(2, TimeUnit.MINUTES);
            stack.services().replaceBroker(BROKER_DOWN);
            stack.services().running("kafka").get(2, TimeUnit.MINUTES);
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).until(() -> {
                ChildProcess now = stack.services().running("liveness-stream").getNow(null);
                return now != null && now != liveness;
            });
        }));
        return faults;
    }

}
