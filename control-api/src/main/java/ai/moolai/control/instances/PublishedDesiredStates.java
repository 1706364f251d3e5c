package ai.moolai.control.instances;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;

import ai.moolai.protocol.kafka.DesiredState;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.service.consumer.RecordReader;
import ai.moolai.service.consumer.UnreadableRecord;
import ai.moolai.service.topics.BoundedAdmin;
import ai.moolai.service.topics.ContractTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * What {@code orchestrator.desired-state.v1} holds: each orchestrator's latest record, read as an
 * edge reads it. A plain consumer, in no group, reads every partition from its beginning to the
 * end offsets taken when it starts. A topic that does not exist (an empty broker in place of the
 * lost one) is created as the contract defines it, and holds nothing.
 */
@Component
class PublishedDesiredStates {

    private static final Logger log = LoggerFactory.getLogger(PublishedDesiredStates.class);

    private static final String TOPIC = Topics.DESIRED_STATE.name();
    private static final RecordReader<DesiredState> CONTRACT = RecordReader.of(Topics.DESIRED_STATE);

    /** The latest record under one key. */
    sealed interface Latest {
    }

    /** A desired state of this version. */
    record Version(long version) implements Latest {
    }

    /** The orchestrator was deleted. */
    record Tombstone() implements Latest {
    }

    /** A record no edge could read: the orchestrator is refused until a readable one follows. */
    record Unreadable() implements Latest {
    }

    private static final Tombstone TOMBSTONE = new Tombstone();
    private static final Unreadable UNREADABLE = new Unreadable();

    private final ConsumerFactory<String, byte[]> consumers;
    private final KafkaAdmin admin;
    private final ContractTopics contractTopics;
    private final DesiredStateProperties properties;
    private Admin lookups;

    PublishedDesiredStates(ConsumerFactory<String, byte[]> consumers, KafkaAdmin admin, ContractTopics contractTopics,
                           DesiredStateProperties properties) {
        this.consumers = consumers;
        this.contractTopics = contractTopics;
        this.admin = admin;
        this.properties = properties;
    }

    /**
     * Each key's latest record, from the beginning of the topic to its end as of this call.
     *
     * @throws TimeoutException when the topic could not be read to its end within the read timeout
     */
    Map<String, Latest> latest() throws TimeoutException {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A missing topic must be seen missing, not created by the broker with its default (deleting) cleanup.
        overrides.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, "desired-state-reconciler", null, overrides)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, properties.readTimeout()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            Map<String, Latest> latest = new HashMap<>();
            if (partitions.isEmpty()) {
                createAsTheContractDefines();
                return latest;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, properties.readTimeout());
            long deadline = System.nanoTime() + properties.readTimeout().toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(TOPIC + " not read to its end within " + properties.readTimeout());
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null) {
                        latest.put(record.key(), read(record));
                    }
                }
            }
            return latest;
        }
    }

    /** The record as an edge reads it: by the topic's contract, and keyed by the orchestrator it speaks for. */
    private static Latest read(ConsumerRecord<String, byte[]> record) {
        try {
            DesiredState state = CONTRACT.read(record);
            if (state == null) {
                return TOMBSTONE;
            }
            if (!Objects.equals(record.key(), state.orchestratorId())) {
                return UNREADABLE;
            }
            return new Version(state.version());
        } catch (UnreadableRecord unreadable) {
            return UNREADABLE;
        }
    }

    /**
     * The topic's id, which changes when the topic is replaced (an empty broker in place of the lost
     * one); empty while the topic does not exist.
     *
     * @throws KafkaException when the broker could not be asked in time
     */
    Optional<Uuid> id() throws InterruptedException {
        try {
            return Optional.of(admin().describeTopics(List.of(TOPIC)).allTopicNames()
                    .get(properties.readTimeout().toMillis(), TimeUnit.MILLISECONDS).get(TOPIC).topicId());
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new KafkaException("describing " + TOPIC + " failed", failed.getCause());
        } catch (TimeoutException slow) {
            throw new KafkaException("describing " + TOPIC + " took over "
                    + properties.readTimeout(), slow);
        }
    }

    /** One admin client for the lookups, made on the first (each would otherwise log its whole configuration). */
    private synchronized Admin admin() {
        if (lookups == null) {
            lookups = BoundedAdmin.create(admin, properties.readTimeout());
        }
        return lookups;
    }

    @PreDestroy
    synchronized void close() {
        if (lookups != null) {
            lookups.close(Duration.ofSeconds(1));
        }
    }

    /** Creates the topic, and the one the liveness restored with its records goes to (the relay would wait for it). */
    private void createAsTheContractDefines() {
        contractTopics.ensure(List.of(TOPIC, Topics.LIVENESS_RESTORE.name()));
        log.warn("{} did not exist: created it and {} as the contract defines them", TOPIC, Topics.LIVENESS_RESTORE.name());
    }
}
