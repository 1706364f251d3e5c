package ai.moolai.control.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import ai.moolai.control.system.AdvisoryLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes what the database would otherwise keep forever, every {@code interval}: reports,
 * decided recommendations, liveness transitions and windows, and published outbox rows older than
 * their retention. Deletes go in batches of {@code batchSize}, each statement its own transaction,
 * so no lock is held for long and the writers never wait on the purge. One instance purges at a
 * time: a purge starts only if it takes a PostgreSQL advisory lock of its own (not the outbox
 * relay's), held on one pooled connection for the purge and let go after it.
 */
@Component
class RetentionJob implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /** What one purge deleted, per kind. */
    record Purge(Map<Retained, Deletion> deleted) {
    }

    /** Rows deleted from one table, and in how many statements. */
    record Deletion(long rows, int batches) {
    }

    private final DataSource dataSource;
    private final RetentionProperties properties;
    private final Map<Retained, Counter> deletedRows = new EnumMap<>(Retained.class);
    private volatile Instant lastPurge;
    private volatile ScheduledExecutorService scheduler;

    RetentionJob(DataSource dataSource, RetentionProperties properties, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.properties = properties;
        for (Retained kind : Retained.values()) {
            deletedRows.put(kind, Counter.builder("retention.rows.deleted").tag("table", kind.table())
                    .description("rows deleted for being older than their retention").register(meters));
        }
        Gauge.builder("retention.last.purge", this, job -> job.lastPurge == null ? 0 : job.lastPurge.getEpochSecond())
                .baseUnit("seconds").description("when this instance last completed a purge (epoch seconds; 0: never)")
                .register(meters);
    }

    /**
     * Purges once, now, unless another instance is purging.
     *
     * @return what was deleted, or nothing if another instance holds the lock
     */
    Optional<Purge> purge() throws SQLException {
        Optional<Purge> purge = new AdvisoryLock(properties.lockId()).whileHeld(dataSource, connection -> {
            Map<Retained, Deletion> deleted = new EnumMap<>(Retained.class);
            for (Retained kind : Retained.values()) {
                deleted.put(kind, deleteOlderThanRetention(connection, kind));
            }
            lastPurge = Instant.now();
            return new Purge(deleted);
        });
        if (purge.isEmpty()) {
            log.debug("another instance is purging");
        }
        return purge;
    }

    private Deletion deleteOlderThanRetention(Connection connection, Retained kind) throws SQLException {
        long rows = 0;
        int batches = 0;
        try (PreparedStatement delete = connection.prepareStatement(kind.deleteBatch())) {
            delete.setDouble(1, properties.of(kind).toSeconds());
            delete.setInt(2, properties.batchSize());
            int deleted;
            do {
                deleted = delete.executeUpdate();
                rows += deleted;
                batches++;
                deletedRows.get(kind).increment(deleted);
            } while (deleted == properties.batchSize() && !Thread.currentThread().isInterrupted());
        }
        if (rows > 0) {
            log.info("deleted {} rows from {} older than {} in {} batches", rows, kind.table(), properties.of(kind),
                    batches);
        }
        return new Deletion(rows, batches);
    }

    private void purgeOnSchedule() {
        try {
            purge();
        } catch (Exception e) {
            // The next interval tries again; a failure must not end the schedule.
            log.warn("retention purge failed, trying again in {}: {}", properties.interval(), e.toString());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "retention");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.interval().toMillis();
        started.scheduleWithFixedDelay(this::purgeOnSchedule, interval, interval, TimeUnit.MILLISECONDS);
        scheduler = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = scheduler;
        scheduler = null;
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
