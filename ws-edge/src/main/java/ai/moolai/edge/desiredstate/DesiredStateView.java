package ai.moolai.edge.desiredstate;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every orchestrator's desired state, read from {@code orchestrator.desired-state.v1} from the
 * beginning, indexed by id and by credential hash. No database on the edge's paths: sessions are
 * authenticated and the independence poll answered from here. Each change is announced as a
 * {@link DesiredStateChanged} event on the follower's thread.
 */
@Component
public class DesiredStateView implements SmartLifecycle, HealthIndicator {

    private final Map<String, DesiredState> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByCredential = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;
    private final KafkaProperties kafka;
    private volatile TopicFollower<DesiredState> follower;
    private volatile boolean running;

    DesiredStateView(ApplicationEventPublisher events, KafkaProperties kafka, MeterRegistry meters) {
        this.events = events;
        this.kafka = kafka;
        Gauge.builder("edge.desired_state.orchestrators", byId, Map::size)
                .description("orchestrators known to this edge").register(meters);
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

    /** Whether the view holds everything the topic held when the edge started. */
    public boolean isCaughtUp() {
        return follower != null && follower.isCaughtUp();
    }

    void apply(ConsumerRecord<String, DesiredState> record) {
        String id = record.key();
        DesiredState after = record.value();
        DesiredState before = after == null ? byId.remove(id) : byId.put(id, after);
        if (before != null && before.credentialHash() != null) {
            idByCredential.remove(before.credentialHash(), id);
        }
        if (after != null && after.credentialHash() != null) {
            idByCredential.put(after.credentialHash(), id);
        }
        if (before != null || after != null) {
            events.publishEvent(new DesiredStateChanged(id, before, after));
        }
    }

    @Override
    public Health health() {
        Health.Builder health = isCaughtUp() ? Health.up() : Health.outOfService();
        return health.withDetail("orchestrators", byId.size())
                .withDetail("unreadableRecords", follower == null ? 0 : follower.unreadable())
                .build();
    }

    @Override
    public void start() {
        follower = new TopicFollower<>(Topics.DESIRED_STATE, kafka.buildConsumerProperties(), true, this::apply);
        follower.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            follower.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
