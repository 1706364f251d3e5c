package ai.moolai.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Reports waiting for their {@code report_ack}, one file each in a folder, written atomically and
 * forced to disk before the report is sent: they survive a lost connection and an agent restart,
 * and are resent, oldest first, after each handshake. The queue is bounded: when it holds
 * {@code capacity} reports, a new one is refused ({@link Full}) rather than an old one dropped,
 * so the caller decides; the edge deduplicates by message id, so a resend is harmless. The folder
 * and its files are readable by their owner only.
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
    /** The waiting reports' files, oldest first: read from the folder once, then kept with it. */
    private final Map<UUID, Path> files = new LinkedHashMap<>();

    public ReportQueue(Path folder, int capacity) throws IOException {
        this.folder = OwnerOnlyFiles.folder(folder);
        this.capacity = capacity;
        try (Stream<Path> existing = Files.list(folder)) {
            existing.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().forEach(file -> {
                String name = file.getFileName().toString();
                files.put(UUID.fromString(name.substring(21, name.length() - 5)), file);
            });
        }
    }

    /** Keeps a report durably until it is acknowledged. */
    public synchronized void add(UUID messageId, String frame) throws IOException {
        if (files.size() >= capacity) {
            throw new Full(capacity);
        }
        Path file = folder.resolve(String.format("%020d", sequence.incrementAndGet()) + "-" + messageId + ".json");
        OwnerOnlyFiles.write(file, frame.getBytes(StandardCharsets.UTF_8));
        files.put(messageId, file);
    }

    /** The report with this id is durable at the controller: forget it. */
    public synchronized void acknowledge(UUID messageId) throws IOException {
        Path file = files.remove(messageId);
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    /** Everything waiting, oldest first. */
    public synchronized List<Pending> pending() {
        List<Pending> pending = new ArrayList<>();
        for (var entry : List.copyOf(files.entrySet())) {
            try {
                pending.add(new Pending(entry.getKey(), Files.readString(entry.getValue())));
            } catch (NoSuchFileException gone) {
                // Removed behind the agent's back (a second agent given the same folder, a clean-up): nothing to resend.
                files.remove(entry.getKey());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pending;
    }

    public synchronized int size() {
        return files.size();
    }
}
