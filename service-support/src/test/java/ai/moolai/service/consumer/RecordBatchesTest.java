package ai.moolai.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.LivenessWindow;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.TestDatabase;
import ai.moolai.testsupport.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * {@link RecordBatches} over a real table and the run's broker: what the table refuses is found
 * by splitting the batch and dead-lettered alone, the rest stored; an outage is handed back for
 * the container to retry with nothing dead-lettered; a record the reader cannot take is
 * dead-lettered whatever it threw.
 */
class RecordBatchesTest {

    private static final String TOPIC = Topics.LIVENESS_WINDOWS.name();

    private final JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(TestDatabase.perRun().jdbcUrl(),
            TestDatabase.perRun().username(), TestDatabase.perRun().password()));
    private final ConsumerWatch watch = new ConsumerWatch(new SimpleMeterRegistry(), Clock.systemUTC(), Duration.ofSeconds(30));
    private final RecordBatches batches = new RecordBatches(new DeadLetterPublisher(new KafkaTemplate<>(
            new DefaultKafkaProducerFactory<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())),
            new SimpleMeterRegistry()), watch);
    private final List<Integer> storeCalls = new ArrayList<>();
    private String prefix;

    @BeforeEach
    void table() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS batches_probe (id text PRIMARY KEY, heartbeats bigint CHECK (heartbeats >= 0))");
        prefix = "batch-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void isolatesEachRefusedRecordByHalvingTheBatchAndStoresTheRest() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            records.add(record(i, window(i, i == 0 || i == 4 || i == 8 ? -1 : i)));
        }

        batches.handle("probe", Topics.LIVENESS_WINDOWS, records, RecordReader.of(Topics.LIVENESS_WINDOWS), this::store);

        assertThat(storedIds()).containsExactlyInAnyOrder(prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-5",
                prefix + "-6", prefix + "-7");
        assertThat(storeCalls.get(0)).as("the whole batch first").isEqualTo(9);
        assertThat(storeCalls).as("then halves, down to single records").contains(1).hasSizeGreaterThan(9);
        List<ConsumerRecord<String, byte[]>> dead = TestKafka.awaitDeadLetters(Topics.LIVENESS_WINDOWS,
                record -> record.key().startsWith(prefix), 3);
        assertThat(dead).extracting(record -> offset(record)).containsExactlyInAnyOrder(100L, 104L, 108L);
        assertThat(dead).allSatisfy(record -> assertThat(header(record, DeadLetters.EXCEPTION_MESSAGE))
                .startsWith("refused by the store: ").contains("batches_probe_heartbeats_check"));
        assertThat(watch.progress("probe").busyFor()).isEmpty();
        assertThat(watch.progress("probe").done()).isEqualTo(9);
    }

    @Test
    void handsAnOutageBackWithNothingDeadLetteredAndTheBatchStillPending() {
        List<ConsumerRecord<String, byte[]>> records = List.of(record(0, window(0, -1)), record(1, window(1, 1)));

        assertThatThrownBy(() -> batches.handle("outage", Topics.LIVENESS_WINDOWS, records,
                RecordReader.of(Topics.LIVENESS_WINDOWS), values -> {
                    throw new DataAccessResourceFailureException("connection refused");
                })).isInstanceOf(DataAccessResourceFailureException.class);

        assertThat(TestKafka.deadLetters(Topics.LIVENESS_WINDOWS))
                .noneMatch(record -> record.key() != null && record.key().startsWith(prefix));
        assertThat(watch.progress("outage").busyFor()).as("work waits").isPresent();
        assertThat(watch.progress("outage").oldestUnprocessedAge()).as("from the records' own time")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void deadLettersWhatTheReaderCannotTakeWhateverItThrew() {
        List<ConsumerRecord<String, byte[]>> records = List.of(record(0, window(0, 1)),
                new ConsumerRecord<>(TOPIC, 0, 101, prefix + "-poison", "{\"heartbeats\":".getBytes(StandardCharsets.UTF_8)),
                new ConsumerRecord<>(TOPIC, 0, 102, prefix + "-tombstone", null),
                record(3, window(3, 3)));

        batches.handle("reader", Topics.LIVENESS_WINDOWS, records, record -> {
            LivenessWindow window = RecordReader.of(Topics.LIVENESS_WINDOWS).read(record);
            if (window.heartbeats() == 3) {
                throw new IllegalStateException("a reader's own failure");
            }
            return window;
        }, this::store);

        assertThat(storedIds()).containsExactly(prefix + "-0");
        assertThat(TestKafka.awaitDeadLetters(Topics.LIVENESS_WINDOWS, record -> record.key().startsWith(prefix), 3))
                .extracting(record -> header(record, DeadLetters.EXCEPTION_MESSAGE))
                .anySatisfy(reason -> assertThat(reason).contains("not a valid LivenessWindow"))
                .anySatisfy(reason -> assertThat(reason).contains("a topic that has no tombstones"))
                .anySatisfy(reason -> assertThat(reason).contains("a reader's own failure"));
    }

    private void store(List<LivenessWindow> windows) {
        storeCalls.add(windows.size());
        StringBuilder sql = new StringBuilder("INSERT INTO batches_probe VALUES ");
        List<Object> arguments = new ArrayList<>();
        for (LivenessWindow window : windows) {
            sql.append(arguments.isEmpty() ? "(?, ?)" : ", (?, ?)");
            arguments.add(window.orchestratorId());
            arguments.add(window.heartbeats());
        }
        jdbc.update(sql + " ON CONFLICT DO NOTHING", arguments.toArray());
    }

    private List<String> storedIds() {
        return jdbc.queryForList("SELECT id FROM batches_probe WHERE id LIKE ?", String.class, prefix + "-%");
    }

    private LivenessWindow window(int i, long heartbeats) {
        Instant start = Instant.parse("2026-11-29T10:00:00Z").plusSeconds(60L * i);
        return new LivenessWindow(prefix + "-" + i, start, start.plusSeconds(60), heartbeats, 0);
    }

    /** A record as the container hands it over, written a minute ago. */
    private ConsumerRecord<String, byte[]> record(int i, LivenessWindow window) {
        byte[] value = Topics.LIVENESS_WINDOWS.valueSerde().serializer().serialize(TOPIC, window);
        return new ConsumerRecord<>(TOPIC, 0, 100 + i, System.currentTimeMillis() - 60_000, TimestampType.CREATE_TIME,
                -1, value.length, window.orchestratorId(), value, new RecordHeaders(), Optional.empty(), Optional.empty());
    }

    private static long offset(ConsumerRecord<String, byte[]> record) {
        return ByteBuffer.wrap(record.headers().lastHeader(DeadLetters.ORIGINAL_OFFSET).value()).getLong();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
