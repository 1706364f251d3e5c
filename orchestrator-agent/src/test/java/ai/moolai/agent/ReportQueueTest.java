package ai.moolai.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportQueueTest {

    @TempDir
    Path folder;

    @Test
    void keepsReportsOnDiskInOrderUntilAcknowledged() throws Exception {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        ReportQueue queue = new ReportQueue(folder, 10);
        queue.add(first, "{\"n\":1}");
        queue.add(second, "{\"n\":2}");

        ReportQueue reopened = new ReportQueue(folder, 10);
        assertThat(reopened.pending()).extracting(ReportQueue.Pending::messageId).containsExactly(first, second);
        reopened.acknowledge(first);
        assertThat(new ReportQueue(folder, 10).pending()).extracting(ReportQueue.Pending::frame).containsExactly("{\"n\":2}");
    }

    @Test
    void refusesANewReportWhenFullRatherThanDroppingAnOldOne() throws Exception {
        ReportQueue queue = new ReportQueue(folder, 2);
        UUID oldest = UUID.randomUUID();
        queue.add(oldest, "{}");
        queue.add(UUID.randomUUID(), "{}");

        assertThatThrownBy(() -> queue.add(UUID.randomUUID(), "{}")).isInstanceOf(ReportQueue.Full.class);
        assertThat(queue.pending()).extracting(ReportQueue.Pending::messageId).contains(oldest);
        queue.acknowledge(oldest);
        queue.add(UUID.randomUUID(), "{}");
        assertThat(queue.size()).isEqualTo(2);
    }
}
