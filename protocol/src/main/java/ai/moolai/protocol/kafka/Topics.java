package ai.moolai.protocol.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Utils;

/** Every topic of the system, defined once for producers, consumers, tests and the dev stack. */
public final class Topics {

    public static final Topic<Heartbeat> HEARTBEATS =
            new Topic<>("orchestrator.heartbeats.v1", Heartbeat.class, false, Duration.ofDays(1));
    public static final Topic<SessionEvent> SESSION_EVENTS =
            new Topic<>("orchestrator.session-events.v1", SessionEvent.class, false, Duration.ofDays(7));
    public static final Topic<Report> REPORTS =
            new Topic<>("orchestrator.reports.v1", Report.class, false, Duration.ofDays(7));
    public static final Topic<DesiredState> DESIRED_STATE =
            new Topic<>("orchestrator.desired-state.v1", DesiredState.class, true, null);
    public static final Topic<Liveness> LIVENESS =
            new Topic<>("orchestrator.liveness.v1", Liveness.class, true, null);
    /**
     * The liveness control-api last materialized, for an orchestrator whose desired state it
     * republishes because the topic lacked it (the broker's data was lost): liveness-stream takes up
     * from it what it no longer knows.
     */
    public static final Topic<Liveness> LIVENESS_RESTORE =
            new Topic<>("orchestrator.liveness-restore.v1", Liveness.class, false, Duration.ofDays(1));
    public static final Topic<LivenessTransition> LIVENESS_TRANSITIONS =
            new Topic<>("orchestrator.liveness-transitions.v1", LivenessTransition.class, false, Duration.ofDays(30));
    public static final Topic<LivenessWindow> LIVENESS_WINDOWS =
            new Topic<>("orchestrator.liveness-windows.v1", LivenessWindow.class, false, Duration.ofDays(30));
    public static final Topic<EdgeBeacon> EDGE_BEACONS =
            new Topic<>("edge.beacons.v1", EdgeBeacon.class, false, Duration.ofHours(1));
    /** Orchestrators in the edges' waiting rooms, as the edges see them. */
    public static final Topic<Enrolment> ENROLMENTS =
            new Topic<>("orchestrator.enrolments.v1", Enrolment.class, false, Duration.ofDays(7));
    /** Enrolments an admin rejected, followed by every edge. */
    public static final Topic<EnrolmentRefusal> ENROLMENT_REFUSALS =
            new Topic<>("orchestrator.enrolment-refusals.v1", EnrolmentRefusal.class, true, null);
    /** Organizations' enrolment tokens, by hash, followed by every edge. */
    public static final Topic<EnrolmentToken> ENROLMENT_TOKENS =
            new Topic<>("organization.enrolment-tokens.v1", EnrolmentToken.class, true, null);
    public static final Topic<ActivityEntry> ACTIVITY =
            new Topic<>("controller.activity.v1", ActivityEntry.class, false, Duration.ofDays(30));

    /** Every topic of the contract. */
    public static final List<Topic<?>> ALL = List.of(HEARTBEATS, SESSION_EVENTS, REPORTS, DESIRED_STATE, LIVENESS,
            LIVENESS_RESTORE, LIVENESS_TRANSITIONS, LIVENESS_WINDOWS, EDGE_BEACONS, ENROLMENTS, ENROLMENT_REFUSALS,
            ENROLMENT_TOKENS, ACTIVITY);

    /** The topics whose consumers dead-letter what they cannot process. */
    public static final List<Topic<?>> DEAD_LETTERED = List.of(HEARTBEATS, SESSION_EVENTS, REPORTS, DESIRED_STATE,
            LIVENESS, LIVENESS_RESTORE, LIVENESS_TRANSITIONS, LIVENESS_WINDOWS, EDGE_BEACONS, ENROLMENTS);

    /** How long a dead-letter topic keeps records. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

    private Topics() {
    }

    /**
     * Every topic to create, by name, with its configuration: the contract's topics and their
     * dead-letter topics.
     */
    public static Map<String, Map<String, String>> toCreate() {
        var topics = new LinkedHashMap<String, Map<String, String>>();
        ALL.forEach(topic -> topics.put(topic.name(), topic.config()));
        DEAD_LETTERED.forEach(topic -> topics.put(topic.deadLetterName(), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(DEAD_LETTER_RETENTION.toMillis()))));
        return topics;
    }

    /**
     * The partition an orchestrator's records go to on topics of {@code partitions} partitions: the
     * producer's default placement of a key, the same on every topic of the contract.
     */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Creates, with this layout, the contract's topics (and their dead-letter topics) that the
     * broker lacks, leaving existing ones as they are; one created meanwhile by another client counts
     * as there.
     *
     * @return how many it found missing
     */
    public static int createMissing(Admin admin, TopicLayout layout) throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = newTopics(layout).stream().filter(topic -> !existing.contains(topic.name())).toList();
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        return missing.size();
    }

    /**
     * Every topic to create, as admin-client requests with this layout's partitions, replicas and
     * {@code min.insync.replicas}.
     */
    public static List<NewTopic> newTopics(TopicLayout layout) {
        return toCreate().entrySet().stream()
                .map(topic -> {
                    Map<String, String> config = new HashMap<>(topic.getValue());
                    config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(layout.minInsyncReplicas()));
                    return new NewTopic(topic.getKey(), layout.partitions(), layout.replicationFactor()).configs(config);
                })
                .toList();
    }
}
