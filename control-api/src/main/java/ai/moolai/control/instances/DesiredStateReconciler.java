package ai.moolai.control.instances;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import ai.moolai.control.instances.PublishedDesiredStates.Latest;
import ai.moolai.control.instances.PublishedDesiredStates.Tombstone;
import ai.moolai.control.instances.PublishedDesiredStates.Unreadable;
import ai.moolai.control.instances.PublishedDesiredStates.Version;
import ai.moolai.control.liveness.LastSeen;
import ai.moolai.control.outbox.Outbox;
import ai.moolai.control.system.AdvisoryLock;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Liveness;
import ai.moolai.protocol.kafka.LivenessReason;
import ai.moolai.protocol.kafka.LivenessStatus;
import ai.moolai.protocol.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code orchestrator.desired-state.v1}, the published copy of what PostgreSQL holds, from
 * staying short of it after the broker lost data (an empty broker in place of the old one, say):
 * at start and every {@code reconcileInterval} it reads the topic to its end and pages through
 * every instance's desired version. An instance whose latest record is missing (or a tombstone),
 * unreadable or of an older version has its current desired state queued again through the
 * outbox; a key whose instance no longer exists gets a tombstone, unless its latest record is one.
 * An instance the topic lacks altogether also has its liveness, as last materialized, queued just
 * after its desired state on {@code orchestrator.liveness-restore.v1}: liveness-stream lost it
 * with the broker's data, and takes it up over the registration the desired state gives it.
 * Nothing is queued for what the outbox is still publishing or published after the topic was read,
 * nor over a newer version. It queues in one transaction per batch with the instances' rows locked,
 * so an admin's change of one of them queues its own state afterwards. One instance reconciles at a
 * time (a PostgreSQL advisory lock of its own, held on one pooled connection for the round). A
 * complete topic costs a read of the topic and of the instances' versions, and writes nothing.
 * Every two seconds it also looks up the topic's id: a topic replaced (or gone) is reconciled at
 * once, not at the next interval.
 */
@Component
class DesiredStateReconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DesiredStateReconciler.class);
    /** How often the topic's id is looked up, to notice at once that it was replaced. */
    private static final Duration TOPIC_WATCH = Duration.ofSeconds(2);

    /** Why a record was queued again; the metric's {@code reason} tag. */
    enum Reason {
        /** The topic held no record for an existing orchestrator, or a tombstone. */
        MISSING,
        /** Its latest record could not be read. */
        UNREADABLE,
        /** Its latest record was of an older version than PostgreSQL's. */
        OLDER,
        /** A tombstone: the orchestrator no longer exists, and its latest record was not one. */
        DELETED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What one round found and did.
     *
     * @param orchestrators instances compared
     * @param republished   records queued again, by reason
     * @param ahead         instances whose record on the topic is of a newer version than PostgreSQL's, left as they are
     */
    record Round(long orchestrators, Map<Reason, Integer> republished, long ahead) {

        int republishedInAll() {
            return republished.values().stream().mapToInt(Integer::intValue).sum();
        }

        int of(Reason reason) {
            return republished.getOrDefault(reason, 0);
        }
    }

    private record Committed(String orchestratorId, long desiredVersion) {
    }

    /** An instance whose record the topic lacks, with the version it had when compared. */
    private record Behind(String orchestratorId, long desiredVersion, Reason reason) {
    }

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final OrchestratorInstances instances;
    private final Outbox outbox;
    private final PublishedDesiredStates topic;
    private final DesiredStateProperties properties;
    private final LastSeen lastSeen;
    private final Map<Reason, Counter> republishedRecords = new EnumMap<>(Reason.class);
    private volatile ScheduledExecutorService scheduler;
    /** The topic's id when last looked up ({@link Uuid#ZERO_UUID} while it did not exist); null before that. */
    private volatile Uuid topicId;

    DesiredStateReconciler(DataSource dataSource, JdbcClient jdbc, TransactionTemplate transactions,
                           OrchestratorInstances instances, Outbox outbox, PublishedDesiredStates topic,
                           DesiredStateProperties properties, LastSeen lastSeen, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.instances = instances;
        this.outbox = outbox;
        this.topic = topic;
        this.properties = properties;
        this.lastSeen = lastSeen;
        for (Reason reason : Reason.values()) {
            republishedRecords.put(reason, Counter.builder("mooli.desired_state.republished").tag("reason", reason.tag())
                    .description("desired-state records queued again because the topic lacked them").register(meters));
        }
    }

    /**
     * Compares the topic with PostgreSQL once, now, and queues what the topic lacks, unless another
     * instance is reconciling.
     *
     * @return what was found and queued, or nothing if another instance holds the lock
     */
    Optional<Round> reconcile() throws SQLException, TimeoutException {
        Optional<Round> reconciled = new AdvisoryLock(properties.lockId()).whileHeld(dataSource, connection -> {
            Round round = compareAndRepublish();
            round.republished().forEach((reason, count) -> republishedRecords.get(reason).increment(count));
            report(round);
            return round;
        });
        if (reconciled.isEmpty()) {
            log.debug("another instance is reconciling {}", Topics.DESIRED_STATE.name());
        }
        return reconciled;
    }

    private Round compareAndRepublish() throws TimeoutException {
        // Taken before the topic is read: a row the relay publishes after that read may be missing from it.
        Instant readSince = outbox.clock();
        Map<String, Latest> published = topic.latest();
        List<Behind> behind = new ArrayList<>();
        long orchestrators = 0;
        long ahead = 0;
        String after = null;
        List<Committed> page;
        do {
            page = page(after);
            for (Committed committed : page) {
                Latest latest = published.remove(committed.orchestratorId());
                Optional<Reason> reason = lacks(latest, committed.desiredVersion());
                if (reason.isPresent()) {
                    behind.add(new Behind(committed.orchestratorId(), committed.desiredVersion(), reason.get()));
                } else if (latest instanceof Version version && version.version() > committed.desiredVersion()) {
                    ahead++;
                }
            }
            orchestrators += page.size();
            after = page.isEmpty() ? after : page.get(page.size() - 1).orchestratorId();
        } while (page.size() == properties.batchSize());
        List<String> gone = published.entrySet().stream().filter(entry -> !(entry.getValue() instanceof Tombstone))
                .map(Map.Entry::getKey).sorted().toList();
        Map<Reason, Integer> republished = new EnumMap<>(Reason.class);
        if (!behind.isEmpty() || !gone.isEmpty()) {
            // What the relay has yet to publish, or published after the topic was read, is on its way already.
            Map<String, Outbox.Queued<DesiredState>> coming = outbox.queuedSince(Topics.DESIRED_STATE, readSince);
            List<Behind> missing = behind.stream().filter(instance -> !isAtLeast(coming.get(instance.orchestratorId()),
                    instance.desiredVersion())).toList();
            for (List<Behind> batch : batches(missing)) {
                republish(batch).forEach((reason, count) -> republished.merge(reason, count, Integer::sum));
            }
            List<String> unburied = gone.stream().filter(id -> !isTombstone(coming.get(id))).toList();
            for (List<String> batch : batches(unburied)) {
                republished.merge(Reason.DELETED, bury(batch), Integer::sum);
            }
        }
        republished.values().removeIf(count -> count == 0);
        return new Round(orchestrators, republished, ahead);
    }

    /** Why the topic, whose latest record for an instance this is, lacks its desired version; empty if it does not. */
    private static Optional<Reason> lacks(Latest latest, long desiredVersion) {
        if (latest == null || latest instanceof Tombstone) {
            return Optional.of(Reason.MISSING);
        }
        if (latest instanceof Unreadable) {
            return Optional.of(Reason.UNREADABLE);
        }
        return ((Version) latest).version() < desiredVersion ? Optional.of(Reason.OLDER) : Optional.empty();
    }

    /** The next batch of instances' desired versions, in id order after {@code after} (from the first when null). */
    private List<Committed> page(String after) {
        return jdbc.sql("""
                        SELECT orchestrator_id, desired_version FROM orchestrator_instances
                        WHERE CAST(:after AS text) IS NULL OR orchestrator_id > :after
                        ORDER BY orchestrator_id LIMIT :limit""")
                .param("after", after)
                .param("limit", properties.batchSize())
                .query((rs, n) -> new Committed(rs.getString("orchestrator_id"), rs.getLong("desired_version")))
                .list();
    }

    /**
     * Queues the current desired state of each of these instances, their rows locked, unless it
     * changed since it was compared (or was deleted): that change queued its own state. A change
     * waiting for the lock queues its state after this one.
     */
    private Map<Reason, Integer> republish(List<Behind> batch) {
        Map<String, Behind> compared = new HashMap<>();
        batch.forEach(instance -> compared.put(instance.orchestratorId(), instance));
        return transactions.execute(status -> {
            Map<Reason, Integer> queued = new EnumMap<>(Reason.class);
            List<OrchestratorInstance> locked = instances.findLockedByOrchestratorIdInOrderByOrchestratorId(compared.keySet());
            Map<String, Liveness> lastKnown = lastKnownLiveness(batch.stream()
                    .filter(instance -> instance.reason() == Reason.MISSING).map(Behind::orchestratorId).toList());
            for (OrchestratorInstance instance : locked) {
                DesiredState state = instance.desiredState();
                Behind asCompared = compared.get(state.orchestratorId());
                if (state.version() == asCompared.desiredVersion()) {
                    outbox.append(Topics.DESIRED_STATE, state.orchestratorId(), state);
                    Liveness liveness = lastKnown.get(state.orchestratorId());
                    if (liveness != null) {
                        // After the desired state: liveness-stream takes it up over the registration it makes.
                        outbox.append(Topics.LIVENESS_RESTORE, state.orchestratorId(), liveness);
                    }
                    queued.merge(asCompared.reason(), 1, Integer::sum);
                }
            }
            return queued;
        });
    }

    /**
     * The liveness last materialized for these instances, of those liveness-stream had heard of (a
     * registration alone needs no restoring): what it lost with the broker's data. Its last seen is
     * the latest this replica heard, where that is later than the stored one (which an ACTIVE
     * orchestrator's heartbeats no longer move).
     */
    private Map<String, Liveness> lastKnownLiveness(List<String> ids) {
        Map<String, Liveness> known = new HashMap<>();
        if (ids.isEmpty()) {
            return known;
        }
        jdbc.sql("""
                        SELECT orchestrator_id, status, status_reason, status_since, last_seen, connected, session_id,
                               edge_id, independence_requested_version, independence_acked_version, liveness_updated_at
                        FROM orchestrator_instances
                        WHERE orchestrator_id IN (:ids) AND liveness_updated_at IS NOT NULL AND status <> 'PENDING'""")
                .param("ids", ids)
                .query((rs, n) -> new Liveness(rs.getString("orchestrator_id"), LivenessStatus.valueOf(rs.getString("status")),
                        LivenessReason.fromWire(rs.getString("status_reason")), Fleet.instant(rs, "status_since"),
                        lastSeen.of(rs.getString("orchestrator_id"), Fleet.instant(rs, "last_seen")), rs.getBoolean("connected"), rs.getString("session_id"),
                        rs.getString("edge_id"), rs.getObject("independence_requested_version", Long.class),
                        rs.getObject("independence_acked_version", Long.class), Fleet.instant(rs, "liveness_updated_at")))
                .list()
                .forEach(liveness -> known.put(liveness.orchestratorId(), liveness));
        return known;
    }

    /** Queues a tombstone for each of these ids that no instance holds. */
    private int bury(List<String> gone) {
        return transactions.execute(status -> {
            // An orchestrator created under one of these ids waits until this commits, so its desired
            // state is queued after the tombstone; a short timeout keeps admins from waiting behind a
            // slow transaction for long (the next round tries again).
            jdbc.sql("SET LOCAL lock_timeout = '2s'").update();
            jdbc.sql("LOCK TABLE orchestrator_instances IN SHARE MODE").update();
            Set<String> existing = new HashSet<>();
            instances.findAllById(gone).forEach(instance -> existing.add(instance.getId()));
            int buried = 0;
            for (String id : gone) {
                if (!existing.contains(id)) {
                    outbox.append(Topics.DESIRED_STATE, id, null);
                    buried++;
                }
            }
            return buried;
        });
    }

    private <T> List<List<T>> batches(List<T> all) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += properties.batchSize()) {
            batches.add(all.subList(from, Math.min(all.size(), from + properties.batchSize())));
        }
        return batches;
    }

    private static boolean isAtLeast(Outbox.Queued<DesiredState> queued, long version) {
        return queued != null && !queued.isTombstone() && queued.value().version() >= version;
    }

    private static boolean isTombstone(Outbox.Queued<DesiredState> queued) {
        return queued != null && queued.isTombstone();
    }

    private void report(Round round) {
        if (round.republishedInAll() > 0) {
            log.warn("{} lacked what PostgreSQL holds: queued {} records again through the outbox: {} desired states "
                            + "missing, {} unreadable, {} older than PostgreSQL's, {} tombstones of deleted orchestrators "
                            + "({} orchestrators compared)",
                    Topics.DESIRED_STATE.name(), round.republishedInAll(), round.of(Reason.MISSING),
                    round.of(Reason.UNREADABLE), round.of(Reason.OLDER), round.of(Reason.DELETED), round.orchestrators());
        }
        if (round.ahead() > 0) {
            log.warn("{} orchestrators have a newer version on {} than in PostgreSQL, left as they are "
                    + "(is the database older than the topic?)", round.ahead(), Topics.DESIRED_STATE.name());
        }
    }

    /**
     * Looks up the topic's id, and reconciles at once when the topic was replaced or is gone since
     * the last look, rather than at the next interval.
     *
     * @return whether it found the topic replaced or gone
     */
    boolean watchTopic() {
        Uuid current;
        try {
            current = topic.id().orElse(Uuid.ZERO_UUID);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException unreachable) {
            // The broker cannot be asked (its outage is reported where it matters); the next look tries again.
            log.debug("looking up {} failed: {}", Topics.DESIRED_STATE.name(), unreachable.toString());
            return false;
        }
        Uuid previous = topicId;
        if (previous == null || previous.equals(current)) {
            topicId = current;
            return false;
        }
        log.warn("{} was replaced or is gone: comparing it with PostgreSQL now", Topics.DESIRED_STATE.name());
        try {
            reconcile();
            topicId = current;
        } catch (Exception e) {
            // The topic id stays as it was: the next look tries again.
            log.warn("comparing the replaced {} with PostgreSQL failed, trying again in {}: {}", Topics.DESIRED_STATE.name(),
                    TOPIC_WATCH, e.toString());
        }
        return true;
    }

    private void reconcileOnSchedule() {
        try {
            reconcile();
        } catch (Exception e) {
            if (!isRunning()) {
                log.debug("reconciling {} stopped: {}", Topics.DESIRED_STATE.name(), e.toString());
                return;
            }
            // The next interval tries again; a failure must not end the schedule.
            log.warn("comparing {} with PostgreSQL failed, trying again in {}: {}", Topics.DESIRED_STATE.name(),
                    properties.reconcileInterval(), e.toString());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "desired-state-reconciler");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::reconcileOnSchedule, 0, properties.reconcileInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        started.scheduleWithFixedDelay(this::watchTopic, 0, TOPIC_WATCH.toMillis(), TimeUnit.MILLISECONDS);
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
