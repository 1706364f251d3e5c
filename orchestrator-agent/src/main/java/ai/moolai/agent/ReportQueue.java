package ai.moolai.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Reports waiting for their {@code report_ack}, one file each in a folder, written atomically and
 * forced to disk before the report is sent: they survive a lost connection and an agent restart,
 * and are resent, oldest first, after each handshake. The queue is bounded: when it holds
 * {@code capacity} reports, a new one is refused ({@link Full}) rather than an old one dropped,
 * so the caller decides; the edge deduplicates by message id, so a resend is harmless.
 */
public final class ReportQueue {

    /** The queue holds as many reports as it may. */
    public static final class Full extends RuntimeException {
        Full(int capacity) {
            super("the report queue is full (" + capacity + " reports wait for their acknowledgement)");
        }
    }

    /**
     * One waiting report.
     *
     * @param messageId its idempotency key
     * @param frame     the frame to send, as JSON text
     */
    public record Pending(UUID messageId, String frame) {
    }

    private final Path folder;
    private final int capacity;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

    public ReportQueue(Path folder, int capacity) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.capacity = capacity;
    }

    /** Keeps a report durably until it is acknowledged. */
    public synchronized void add(UUID messageId, String frame) throws IOException {
        if (size() >= capacity) {
            throw new Full(capacity);
        }
        Path temporary = folder.resolve(messageId + ".tmp");
        Files.writeString(temporary, frame, StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, folder.resolve(String.format("%020d", sequence.incrementAndGet()) + "-" + messageId + ".json"),
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The report with this id is durable at the controller: forget it. */
    public synchronized void acknowledge(UUID messageId) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-" + messageId + ".json")).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Everything waiting, oldest first. */
    public synchronized List<Pending> pending() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted()
                    .map(file -> {
                        String name = file.getFileName().toString();
                        try {
                            return new Pending(UUID.fromString(name.substring(21, name.length() - 5)), Files.readString(file));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized int size() {
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(file -> file.getFileName().toString().endsWith(".json")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
