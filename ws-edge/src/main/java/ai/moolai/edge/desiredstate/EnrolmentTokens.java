package ai.moolai.edge.desiredstate;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.kafka.EnrolmentToken;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.RecordReader;
import org.springframework.stereotype.Component;

/**
 * Organizations' enrolment tokens, read from {@code organization.enrolment-tokens.v1} from the
 * beginning and indexed by hash: the edge knows whether a token enrols, and into which organization,
 * without a database. A token whose latest record cannot be read enrols nobody.
 */
@Component
public class EnrolmentTokens extends TopicView<EnrolmentToken> {

    private final Map<String, EnrolmentToken> byHash = new ConcurrentHashMap<>();
    private final Map<String, String> hashById = new ConcurrentHashMap<>();

    EnrolmentTokens(TopicFollowers followers) {
        super(followers, "enrolment-tokens", Topics.ENROLMENT_TOKENS, RecordReader.of(Topics.ENROLMENT_TOKENS));
    }

    /** The token, if it enrols anyone at {@code now}: known, neither expired nor revoked. */
    public Optional<EnrolmentToken> valid(String token, Instant now) {
        return Optional.ofNullable(token).map(Credentials::hash).map(byHash::get).filter(known -> known.validAt(now));
    }

    @Override
    void apply(Followed<EnrolmentToken> read) {
        String id = read.key();
        if (id == null) {
            return;
        }
        String before = hashById.remove(id);
        if (before != null) {
            byHash.remove(before);
        }
        if (read instanceof Followed.Value<EnrolmentToken> value && value.value() != null) {
            byHash.put(value.value().tokenHash(), value.value());
            hashById.put(id, value.value().tokenHash());
        }
    }
}
