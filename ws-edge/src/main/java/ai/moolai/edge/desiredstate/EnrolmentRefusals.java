package ai.moolai.edge.desiredstate;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.moolai.protocol.kafka.EnrolmentRefusal;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.RecordReader;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The enrolments admins rejected, read from {@code orchestrator.enrolment-refusals.v1} from the
 * beginning: a rejected id is refused the waiting room (4403) until its refusal ends. Each new
 * refusal still in force is announced as an {@link EnrolmentRefused} event, so a waiting session is
 * closed at once. A refusal that cannot be read refuses its id, as one without an end would: the waiting room
 * is a courtesy, and failing closed there costs an admin one more look.
 */
@Component
public class EnrolmentRefusals extends TopicView<EnrolmentRefusal> {

    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;

    EnrolmentRefusals(ApplicationEventPublisher events, TopicFollowers followers) {
        super(followers, "enrolment-refusals", Topics.ENROLMENT_REFUSALS, RecordReader.of(Topics.ENROLMENT_REFUSALS));
        this.events = events;
    }

    /** Whether this orchestrator's enrolment was rejected and the refusal still holds at {@code now}. */
    public boolean refuses(String orchestratorId, Instant now) {
        Instant end = orchestratorId == null ? null : until.get(orchestratorId);
        return end != null && now.isBefore(end);
    }

    @Override
    void apply(Followed<EnrolmentRefusal> read) {
        String id = read.key();
        if (id == null) {
            return;
        }
        if (read instanceof Followed.Value<EnrolmentRefusal> value && value.value() == null) {
            until.remove(id);
            return;
        }
        Instant end = read instanceof Followed.Value<EnrolmentRefusal> value ? value.value().until() : Instant.MAX;
        until.put(id, end);
        if (refuses(id, Instant.now())) {
            events.publishEvent(new EnrolmentRefused(id));
        }
    }

    /**
     * An admin rejected this orchestrator's enrolment.
     *
     * @param orchestratorId the id refused
     */
    public record EnrolmentRefused(String orchestratorId) {
    }
}
