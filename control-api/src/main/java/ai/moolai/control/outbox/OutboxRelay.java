package ai.moolai.control.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import ai.moolai.control.system.AdvisoryLock;
import ai.moolai.service.InstanceIds;
import ai.moolai.service.tracing.Traces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes outbox rows to Kafka in id order and marks them published. One instance at a time is
 * the relay: it holds a PostgreSQL advisory lock on a connection of its own, so several
 * control-api instances never publish a row twice. Rows stay until the broker acknowledged them;
 * a failed round is retried from the first unpublished row, so a broker outage or a restart loses
 * nothing and reorders nothing per key (same key, same partition, one idempotent producer).
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DataSourceProperties database;
    /** This instance, as the relay's lock connection and log name it. */
    private final String owner;
    private final JdbcClient jdbc;
    private final KafkaTemplate<String, byte[]> kafka;
    private final OutboxProperties properties;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Timer latency;
    private final Counter published;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean leader;
    private Connection lock;

    OutboxRelay(DataSourceProperties database, JdbcClient jdbc, KafkaTemplate<String, byte[]> kafka, OutboxProperties properties,
                MeterRegistry meters, @Value("${server.port}") int serverPort) {
        this.database = database;
        this.owner = InstanceIds.hostAndPort(serverPort);
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.properties = properties;
        this.published = Counter.builder("outbox.published").description("outbox rows published").register(meters);
        this.latency = Timer.builder("outbox.publish.latency")
                .description("from a change's queueing (its transaction's start) to the broker's acknowledgement of its record (the database's clock)")
                .register(meters);
        meters.gauge("outbox.leader", this, relay -> relay.leader ? 1 : 0);
        Gauge.builder("outbox.backlog", this, relay -> relay.measured(Outbox.Backlog::rows))
                .description("changes waiting to be published, as the relay last read them (NaN on a replica that is not the relay)")
                .register(meters);
        Gauge.builder("outbox.oldest_age", this, relay -> relay.measured(Outbox.Backlog::oldestAgeSeconds))
                .baseUnit("seconds").description("how long the oldest change waiting to be published has waited (NaN: none waits, "
                        + "or this replica is not the relay)").register(meters);
    }

    /** What waits, as the relay read it at most a second ago; null (NaN) on a replica that is not the relay. */
    private volatile Outbox.Backlog backlog;
    /** Reads what waits every second, on a thread of its own: a round held up by the broker does not hold it up. */
    private volatile ScheduledExecutorService measuring;

    /** One figure of what waits, as last read; NaN when not known (or, for the age, when nothing waits). */
    private double measured(Function<Outbox.Backlog, ? extends Number> figure) {
        Outbox.Backlog read = backlog;
        Number value = read == null ? null : figure.apply(read);
        return value == null ? Double.NaN : value.doubleValue();
    }

    /** The relay reads what waits; another replica knows nothing. */
    private void measureBacklog() {
        if (!leader) {
            backlog = null;
            return;
        }
        try {
            backlog = Outbox.backlog(jdbc);
        } catch (RuntimeException unavailable) {
            backlog = null;
        }
    }

    /** Something was committed: publish without waiting for the next poll. */
    void wakeUp() {
        wakeUps.release();
    }

    public boolean isLeader() {
        return leader;
    }

    private void run() {
        while (running) {
            try {
                if (leader || acquireLeadership()) {
                    if (publishRound() == properties.batchSize()) {
                        continue;
                    }
                }
                wakeUps.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.warn("outbox relay round failed, retrying in {}: {}", properties.retryBackoff(), e.toString());
                releaseLeadershipIfLost();
                sleep();
            }
        }
    }

    /** Publishes one batch and returns how many rows it published. */
    int publishRound() throws Exception {
        List<Row> rows = jdbc.sql("""
                        SELECT id, topic, message_key, payload::text AS payload, trace_parent FROM outbox
                        WHERE published_at IS NULL ORDER BY id LIMIT :limit""")
                .param("limit", properties.batchSize())
                .query((rs, n) -> new Row(rs.getLong("id"), rs.getString("topic"), rs.getString("message_key"),
                        rs.getString("payload"), rs.getString("trace_parent")))
                .list();
        if (rows.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
        Exception failure = null;
        for (Row row : rows) {
            byte[] value = row.payload() == null ? null : row.payload().getBytes(StandardCharsets.UTF_8);
            try {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), value);
                Traces.carry(record.headers(), row.traceParent());
                sends.add(kafka.send(record));
            } catch (RuntimeException refused) {
                // The producer refused this one (a stop's interrupt among the causes): those before it
                // are sent, and are awaited and marked below; this one and the rest wait for the next round.
                failure = refused;
                break;
            }
        }
        List<Long> acknowledged = new ArrayList<>(rows.size());
        // A stop during the round must not leave sent rows unmarked (they would be sent again), so
        // the round finishes first: an interrupt is noted and restored at its end.
        boolean interrupted = false;
        for (int i = 0; i < sends.size(); i++) {
            while (true) {
                try {
                    sends.get(i).get(30, TimeUnit.SECONDS);
                    acknowledged.add(rows.get(i).id());
                    break;
                } catch (InterruptedException stopping) {
                    interrupted = true;
                } catch (Exception e) {
                    failure = failure == null ? e : failure;
                    break;
                }
            }
        }
        if (!acknowledged.isEmpty()) {
            jdbc.sql("""
                            UPDATE outbox SET published_at = now() WHERE id = ANY(:ids)
                            RETURNING CAST(EXTRACT(EPOCH FROM now() - created_at) * 1000000 AS bigint) AS waited""")
                    .param("ids", acknowledged.toArray(Long[]::new))
                    .query((rs, n) -> rs.getLong("waited"))
                    .list()
                    .forEach(waited -> latency.record(Math.max(0, waited), TimeUnit.MICROSECONDS));
            published.increment(acknowledged.size());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return rows.size();
    }

    private boolean acquireLeadership() throws SQLException {
        if (lock == null || lock.isClosed()) {
            // A connection of its own, outside the pool: closing it ends the session and so frees the lock.
            // Named, so that pg_stat_activity shows which instance holds the relay's lock.
            Properties connection = new Properties();
            connection.setProperty("user", database.determineUsername());
            connection.setProperty("password", Objects.requireNonNullElse(database.determinePassword(), ""));
            connection.setProperty("ApplicationName", "control-api outbox relay " + owner);
            lock = DriverManager.getConnection(database.determineUrl(), connection);
        }
        leader = new AdvisoryLock(properties.lockId()).tryLock(lock);
        if (leader) {
            log.info("this instance ({}) is now the outbox relay", owner);
        }
        return leader;
    }

    private void releaseLeadershipIfLost() {
        try {
            if (lock != null && !lock.isValid(2)) {
                leader = false;
                lock.close();
                lock = null;
            }
        } catch (SQLException e) {
            leader = false;
            lock = null;
        }
    }

    private void sleep() {
        try {
            TimeUnit.MILLISECONDS.sleep(properties.retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
        measuring = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread measurer = new Thread(task, "outbox-backlog");
            measurer.setDaemon(true);
            return measurer;
        });
        measuring.scheduleWithFixedDelay(this::measureBacklog, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        running = false;
        ScheduledExecutorService measurer = measuring;
        if (measurer != null) {
            measurer.shutdownNow();
        }
        backlog = null;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            try {
                current.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leader = false;
        try {
            if (lock != null) {
                lock.close();
            }
        } catch (SQLException e) {
            log.debug("closing the relay's lock connection: {}", e.toString());
        }
        lock = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private record Row(long id, String topic, String key, String payload, String traceParent) {
    }
}
