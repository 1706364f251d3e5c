package ai.moolai.control.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;

import ai.moolai.control.ControlApiTest;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.ApiClient;
import ai.moolai.testsupport.TopicProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Admins changing one orchestrator at the same moment each get a desired-state version of their own. */
@ControlApiTest
class ConcurrentChangesTest {

    private static final int CHANGES = 16;

    @LocalServerPort
    private int port;

    @Test
    void concurrentChangesOfOneOrchestratorEachPublishTheirOwnVersionInOrder() throws Exception {
        ApiClient api = new ApiClient(port);
        String id = "race-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/v1/controller/organizations", ApiClient.ADMIN,
                "{\"organizationId\":\"" + id + "\",\"name\":\"" + id + "\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/controller/orchestrator-instances", ApiClient.ADMIN,
                "{\"organizationId\":\"" + id + "\"}").status()).isEqualTo(201);

        try (TopicProbe<DesiredState> desired = TopicProbe.of(Topics.DESIRED_STATE)) {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> changes = new ArrayList<>();
            for (int i = 0; i < CHANGES; i++) {
                boolean independent = i % 2 == 0;
                changes.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return api.put("/api/v1/internal/orchestrators/" + id + "/independence", ApiClient.ADMIN,
                            "{\"is_independent\":" + independent + "}").status();
                }));
            }
            start.countDown();
            assertThat(changes).allSatisfy(change -> assertThat(change.get()).isEqualTo(200));

            desired.await(id, state -> state != null && state.version() == CHANGES + 1);
            assertThat(desired.values(id)).extracting(DesiredState::version)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, CHANGES + 1).boxed().toList());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
