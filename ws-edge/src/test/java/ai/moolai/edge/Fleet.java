package ai.moolai.edge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import ai.moolai.edge.desiredstate.DesiredStateView;
import ai.moolai.edge.desiredstate.EnrolmentRefusals;
import ai.moolai.protocol.Credentials;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.EnrolmentRefusal;
import ai.moolai.protocol.kafka.EnrolmentToken;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.tracing.Traces;
import ai.moolai.testsupport.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/** Registers orchestrators the way control-api does: by publishing their desired state. */
final class Fleet implements AutoCloseable {

    private final DesiredStateView view;
    private final KafkaProducer<String, DesiredState> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
            Topics.DESIRED_STATE.keySerde().serializer(), Topics.DESIRED_STATE.valueSerde().serializer());
    private final KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
            new StringSerializer(), new ByteArraySerializer());

    /** Waits until the edge takes upgrades, for the orchestrators registered here to connect. */
    Fleet(DesiredStateView view) {
        this.view = view;
        awaitEdgeTakesUpgrades(view);
    }

    /** Upgrades get 503 until the edge's view of desired state has caught up. */
    static void awaitEdgeTakesUpgrades(DesiredStateView view) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(view::isCurrent);
    }

    /** A registered orchestrator with its token. */
    record Member(String id, String token, DesiredState state) {

        Member with(boolean independent, boolean privacyMode) {
            return new Member(id, token, new DesiredState(id, state.organizationId(), state.name(), state.location(),
                    state.features(), independent, privacyMode, state.version() + 1, state.credentialHash(),
                    state.tokenlessAllowed(), Instant.now()));
        }

        Member rotated() {
            String newToken = Credentials.newToken();
            return new Member(id, newToken, new DesiredState(id, state.organizationId(), state.name(), state.location(),
                    state.features(), state.independent(), state.privacyMode(), state.version() + 1,
                    Credentials.hash(newToken), state.tokenlessAllowed(), Instant.now()));
        }

        /** The same orchestrator with tokenless sessions allowed or not, as an admin set it. */
        Member tokenless(boolean allowed) {
            return new Member(id, token, new DesiredState(id, state.organizationId(), state.name(), state.location(),
                    state.features(), state.independent(), state.privacyMode(), state.version() + 1,
                    state.credentialHash(), allowed, Instant.now()));
        }
    }

    /** A new orchestrator, registered and known to the edge. */
    Member register() throws ExecutionException, InterruptedException {
        return register(false);
    }

    Member register(boolean independent) throws ExecutionException, InterruptedException {
        return register(independent, Credentials.newToken());
    }

    /** A new orchestrator that holds no token (one registered before tokens existed). */
    Member registerWithoutToken() throws ExecutionException, InterruptedException {
        return register(false, null);
    }

    private Member register(boolean independent, String token) throws ExecutionException, InterruptedException {
        return register("orch-" + UUID.randomUUID().toString().substring(0, 8), independent, token, false);
    }

    /**
     * Registers this id as an admin's approval of its enrolment does: with the key it enrolled with
     * as its token, or, for a client that sent none, allowed to connect without one.
     */
    Member approve(String id, String enrolmentKey) throws ExecutionException, InterruptedException {
        return register(id, false, enrolmentKey, enrolmentKey == null);
    }

    private Member register(String id, boolean independent, String token, boolean tokenless)
            throws ExecutionException, InterruptedException {
        DesiredState state = new DesiredState(id, "acme", "Acme " + id, "eu-1",
                Json.events().readTree("{\"cache\":{\"enabled\":false}}"), independent, false, 1,
                token == null ? null : Credentials.hash(token), tokenless, Instant.now());
        return publish(new Member(id, token, state));
    }

    /** Issues an organization's enrolment token, as control-api does, and waits until the edge knows it (if valid). */
    void issue(EnrolmentToken token) {
        TestKafka.send(Topics.ENROLMENT_TOKENS, token.tokenId(), token);
    }

    /** Rejects this id's enrolment until {@code until}, as control-api does, and waits until the edge knows. */
    void reject(String id, Instant until, EnrolmentRefusals refusals) throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, EnrolmentRefusal> refusing = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                Topics.ENROLMENT_REFUSALS.keySerde().serializer(), Topics.ENROLMENT_REFUSALS.valueSerde().serializer())) {
            refusing.send(new ProducerRecord<>(Topics.ENROLMENT_REFUSALS.name(), id,
                    new EnrolmentRefusal(id, until, Instant.now()))).get();
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> refusals.refuses(id, Instant.now()));
    }

    /** Publishes this member's state and waits until the edge holds it. */
    Member publish(Member member) throws ExecutionException, InterruptedException {
        return publish(member, null);
    }

    /** Publishes this member's state in a trace ({@code traceparent} header), as the outbox relay does, and waits until the edge holds it. */
    Member publish(Member member, String traceparent) throws ExecutionException, InterruptedException {
        ProducerRecord<String, DesiredState> record = new ProducerRecord<>(Topics.DESIRED_STATE.name(), member.id(), member.state());
        if (traceparent != null) {
            record.headers().add(Traces.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get();
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> view.find(member.id()).filter(member.state()::equals).isPresent());
        return member;
    }

    /** Deletes the orchestrator (a tombstone) and waits until the edge forgot it. */
    void delete(Member member) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(Topics.DESIRED_STATE.name(), member.id(), null)).get();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> view.find(member.id()).isEmpty());
    }

    /**
     * Publishes, as this orchestrator's desired state, text that breaks the topic's contract (as a
     * producer with a bug might), and waits until the edge refused the orchestrator for it.
     */
    void publishUnreadable(String id, String value) throws ExecutionException, InterruptedException {
        raw.send(new ProducerRecord<>(Topics.DESIRED_STATE.name(), id, value.getBytes(StandardCharsets.UTF_8))).get();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> view.isUnreadable(id));
    }

    @Override
    public void close() {
        producer.close();
        raw.close();
    }
}
