package ai.moolai.edge.desiredstate;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.RecordReader;
import ai.moolai.service.consumer.UnreadableRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Every orchestrator's desired state, read from {@code orchestrator.desired-state.v1} from the
 * beginning, indexed by id and by credential hash. No database on the edge's paths: sessions are
 * authenticated and the independence poll answered from here. Each change is announced as a
 * {@link DesiredStateChanged} event on the follower's thread.
 *
 * <p>It fails closed. An orchestrator whose latest record cannot be read is forgotten, credential
 * and all, and remembered as unreadable ({@link DesiredStateUnreadable}) until a readable record
 * or a tombstone replaces it: the token it had may have been rotated or revoked by the very record
 * that could not be read. And once the follower has died the view is no longer
 * {@linkplain #isCurrent() current}, so nothing may be admitted by it.
 */
@Component
public class DesiredStateView extends TopicView<DesiredState> implements HealthIndicator {

    private static final RecordReader<DesiredState> CONTRACT = RecordReader.of(Topics.DESIRED_STATE);

    private final Map<String, DesiredState> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByCredential = new ConcurrentHashMap<>();
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();
    /** The last readable credential of each orchestrator now unreadable, so its holder is told to come back later. */
    private final Map<String, String> suspendedCredentials = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;

    DesiredStateView(ApplicationEventPublisher events, TopicFollowers followers, MeterRegistry meters) {
        super(followers, "desired-state", Topics.DESIRED_STATE, DesiredStateView::read);
        this.events = events;
        Gauge.builder("edge.desired_state.orchestrators", byId, Map::size)
                .description("orchestrators known to this edge").register(meters);
        Gauge.builder("edge.desired_state.unreadable", unreadable, Set::size)
                .description("orchestrators refused because their latest desired state could not be read")
                .register(meters);
    }

    /** The desired state of this orchestrator, if it is registered. */
    public Optional<DesiredState> find(String orchestratorId) {
        return Optional.ofNullable(orchestratorId).map(byId::get);
    }

    /** The orchestrator whose current token this is, if any. */
    public Optional<DesiredState> findByToken(String token) {
        return Optional.ofNullable(token)
                .map(Credentials::hash)
                .map(idByCredential::get)
                .map(byId::get);
    }

    /** Whether this orchestrator's latest desired-state record could not be read. */
    public boolean isUnreadable(String orchestratorId) {
        return orchestratorId != null && unreadable.contains(orchestratorId);
    }

    /**
     * Whether this token was the current one of an orchestrator whose latest record is unreadable:
     * it is admitted by nothing, but its holder may come back once a readable record arrives.
     */
    public boolean isSuspended(String token) {
        return token != null && suspendedCredentials.containsKey(Credentials.hash(token));
    }

    /** Whether the view holds everything the topic held when the edge started. */
    public boolean isCaughtUp() {
        TopicFollower<DesiredState> current = follower();
        return current != null && current.isCaughtUp();
    }

    /** Whether the view may be trusted: caught up, and still following the topic. */
    public boolean isCurrent() {
        TopicFollower<DesiredState> current = follower();
        return current != null && current.isCaughtUp() && current.isFollowing();
    }

    @Override
    void apply(Followed<DesiredState> read) {
        String id = read.key();
        if (id == null) {
            // A compacted topic takes no keyless record, and one could not name whom it concerns.
            return;
        }
        if (read instanceof Followed.Unreadable<DesiredState> refused) {
            unreadable.add(id);
            DesiredState last = byId.remove(id);
            forgetCredential(last, id);
            if (last != null && last.credentialHash() != null) {
                suspendedCredentials.put(last.credentialHash(), id);
            }
            events.publishEvent(new DesiredStateUnreadable(id, refused.reason()));
            return;
        }
        Followed.Value<DesiredState> value = (Followed.Value<DesiredState>) read;
        DesiredState after = value.value();
        DesiredState before = after == null ? byId.remove(id) : byId.put(id, after);
        forgetCredential(before, id);
        if (after != null && after.credentialHash() != null) {
            idByCredential.put(after.credentialHash(), id);
        }
        if (unreadable.remove(id)) {
            suspendedCredentials.values().removeIf(id::equals);
        }
        if (before != null || after != null) {
            events.publishEvent(new DesiredStateChanged(id, before, after, value.traceparent()));
        }
    }

    private void forgetCredential(DesiredState before, String id) {
        if (before != null && before.credentialHash() != null) {
            idByCredential.remove(before.credentialHash(), id);
        }
    }

    /**
     * Reads a record by the topic's contract, which also requires the key to be the id the value
     * speaks for: the view is indexed by the one and authenticates as the other.
     */
    static DesiredState read(ConsumerRecord<String, byte[]> record) {
        DesiredState state = CONTRACT.read(record);
        if (state != null && !Objects.equals(record.key(), state.orchestratorId())) {
            throw new UnreadableRecord("keyed " + record.key() + " but for orchestratorId " + state.orchestratorId());
        }
        return state;
    }

    @Override
    public Health health() {
        TopicFollower<DesiredState> current = follower();
        Health.Builder health = isCurrent() ? Health.up()
                : current != null && current.hasDied() ? Health.down().withDetail("follower", "dead")
                : Health.outOfService();
        return health.withDetail("orchestrators", byId.size())
                .withDetail("unreadableOrchestrators", unreadable.size())
                .withDetail("unreadableRecords", current == null ? 0 : current.unreadable())
                .build();
    }
}
