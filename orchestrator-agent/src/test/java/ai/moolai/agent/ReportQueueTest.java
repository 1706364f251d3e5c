package ai.moolai.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    void aReportRemovedBehindItsBackIsNoLongerPendingAndTheOthersStillAre() throws Exception {
        ReportQueue queue = new ReportQueue(folder, 10);
        UUID gone = UUID.randomUUID();
        queue.add(UUID.randomUUID(), "{\"n\":1}");
        queue.add(gone, "{\"n\":2}");
        queue.add(UUID.randomUUID(), "{\"n\":3}");
        try (var files = Files.list(folder)) {
            for (var file : files.filter(path -> path.getFileName().toString().contains(gone.toString())).toList()) {
                Files.delete(file);
            }
        }

        assertThat(queue.pending()).extracting(ReportQueue.Pending::frame).containsExactly("{\"n\":1}", "{\"n\":3}");
        assertThat(queue.size()).isEqualTo(2);
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

    @Test
    void keepsItsFolderAndReportsReadableByTheirOwnerOnly() throws Exception {
        Path queueFolder = folder.resolve("queue");
        new ReportQueue(queueFolder, 10).add(UUID.randomUUID(), "{\"cpu_pct\":12.5}");

        assertThat(permissions(queueFolder)).isEqualTo("rwx------");
        try (var reports = Files.list(queueFolder)) {
            assertThat(reports).singleElement().satisfies(report -> assertThat(permissions(report)).isEqualTo("rw-------"));
        }
    }

    @Test
    void makesAFolderLeftReadableByOthersOwnerOnly() throws Exception {
        Path queueFolder = Files.createDirectory(folder.resolve("queue"));
        Files.setPosixFilePermissions(queueFolder, PosixFilePermissions.fromString("rwxr-xr-x"));

        new ReportQueue(queueFolder, 10);

        assertThat(permissions(queueFolder)).isEqualTo("rwx------");
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
