package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ai.moolai.protocol.kafka.DeadLetters;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.testsupport.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator looks at the reports' dead-letter topic on a real broker and, once a fix is in,
 * replays what one orchestrator had refused.
 */
class DeadLetterToolTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ALICE = "orch-alice-" + RUN;
    private static final String BOB = "orch-bob-" + RUN;
    private static final String SLEEPY = "unknown state SLEEPY in report";
    private static final String STORE = "refused by the store: violates check constraint";

    @BeforeAll
    static void threeReportsAreDeadLettered() throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            deadLetter(producer, ALICE, "{\"seq\":1}", new IllegalArgumentException(SLEEPY), 41);
            deadLetter(producer, ALICE, "{\"seq\":2,\n\"state\":\"SLEEPY\"}", new IllegalArgumentException(SLEEPY), 42);
            deadLetter(producer, BOB, "{\"seq\":3}", new IllegalStateException(STORE), 7);
        }
    }

    @Test
    void listCountsEachDeadLetterTopicsRecordsAndHowManyForWhichReason() {
        Result list = dlt("127.0.0.1:1", "list", "--bootstrap", TestKafka.bootstrapServers());

        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out())
                .containsPattern("orchestrator\\.reports\\.v1\\.dlt +3\\n")
                .containsPattern(" 2  " + SLEEPY + "\\n")
                .containsPattern(" 1  " + STORE + "\\n")
                .containsPattern("orchestrator\\.heartbeats\\.v1\\.dlt +0\\n");
    }

    @Test
    void showForOneOrchestratorPrintsWhyAndWhereEachOfItsDeadLettersCameFrom() {
        Result show = dlt(TestKafka.bootstrapServers(), "show", Topics.REPORTS.name(), "--key", ALICE);

        assertThat(show.status()).as(show.err()).isZero();
        assertThat(show.out())
                .contains("from     orchestrator.reports.v1 1@41", "from     orchestrator.reports.v1 1@42")
                .contains("refused  java.lang.IllegalArgumentException: " + SLEEPY)
                .contains("value    {\"seq\":2,\\n\"state\":\"SLEEPY\"}")
                .contains("2 dead letter(s) for " + ALICE + " on orchestrator.reports.v1.dlt; 2 shown")
                .doesNotContain(BOB, STORE);
    }

    @Test
    void replayOfOneOrchestratorPutsBackExactlyItsRecordsUnchangedWithoutTheDeadLetterHeaders() {
        Result replay = dlt(TestKafka.bootstrapServers(), "replay", Topics.REPORTS.deadLetterName(), "--key", ALICE);

        assertThat(replay.status()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("2 dead letter(s) replayed; they stay on orchestrator.reports.v1.dlt");
        List<ConsumerRecord<byte[], byte[]>> reports = reports();
        List<ConsumerRecord<byte[], byte[]>> alices = reports.stream().filter(record -> text(record.key()).equals(ALICE)).toList();
        assertThat(alices).extracting(record -> text(record.value()))
                .containsExactly("{\"seq\":1}", "{\"seq\":2,\n\"state\":\"SLEEPY\"}");
        assertThat(alices).allSatisfy(record -> {
            assertThat(record.headers().toArray()).extracting(Header::key).containsExactly("traceparent");
            assertThat(text(record.headers().lastHeader("traceparent").value())).isEqualTo("trace-" + ALICE);
        });
        assertThat(reports).noneMatch(record -> text(record.key()).equals(BOB));
    }

    @Test
    void dryRunPrintsWhatWouldBeReplayedAndSendsNothing() {
        int before = reports().size();

        Result replay = dlt(TestKafka.bootstrapServers(), "replay", Topics.REPORTS.name(), "--key", BOB, "--dry-run");

        assertThat(replay.status()).as(replay.err()).isZero();
        assertThat(replay.out()).containsPattern("would replay orchestrator\\.reports\\.v1\\.dlt \\d+@\\d+ -> "
                + "orchestrator\\.reports\\.v1  key " + BOB).contains("nothing sent");
        assertThat(reports()).hasSize(before);
    }

    @Test
    void replayOfAnOffsetNotOnTheDeadLetterTopicSendsNothing() {
        int before = reports().size();

        Result replay = dlt(TestKafka.bootstrapServers(), "replay", Topics.REPORTS.name(), "--offset", "0@1000000");

        assertThat(replay.status()).isEqualTo(1);
        assertThat(replay.err()).contains("not on orchestrator.reports.v1.dlt: [0@1000000]; nothing sent");
        assertThat(reports()).hasSize(before);
    }

    @Test
    void refusesATopicThatHasNoDeadLetterTopic() {
        Result show = dlt("127.0.0.1:1", "show", Topics.ACTIVITY.name());

        assertThat(show.status()).isEqualTo(2);
        assertThat(show.err()).contains("no dead-letter topic for controller.activity.v1");
    }

    private static void deadLetter(KafkaProducer<String, String> producer, String key, String value, Exception error,
                                   long originalOffset) throws Exception {
        var record = new ProducerRecord<>(Topics.REPORTS.deadLetterName(), null, key, value,
                new RecordHeaders().add("traceparent", ("trace-" + key).getBytes(StandardCharsets.UTF_8)));
        DeadLetters.describe(record.headers(), error, Topics.REPORTS.name(), 1, originalOffset);
        producer.send(record).get();
    }

    private static List<ConsumerRecord<byte[], byte[]>> reports() {
        try (TopicReader reader = new TopicReader(TestKafka.bootstrapServers())) {
            return reader.read(Topics.REPORTS.name());
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private record Result(int status, String out, String err) {
    }

    private static Result dlt(String environmentBootstrap, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = DeadLetterTool.run(args, environmentBootstrap, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
