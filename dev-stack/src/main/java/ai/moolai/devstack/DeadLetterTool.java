package ai.moolai.devstack;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import ai.moolai.devstack.DeadLetterRecord.Position;
import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./dev-stack/dlt}: looks at the dead-letter topics of a running stack and replays their
 * records to the topics they were refused on once a fix is in. It reads without a consumer group,
 * so it commits nothing and disturbs no consumer.
 */
public final class DeadLetterTool {

    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    /** How much of a value (or a reason) {@code show} prints. */
    static final int SHOWN = 2_000;
    /** How much of a reason {@code list} groups by. */
    static final int REASON_GROUPED = 80;
    static final int SHOW_LIMIT = 20;
    /** Beyond this many records, {@code list} does not read a topic to group its reasons: that is {@code show}'s work. */
    static final long REASONS_READ_UP_TO = 10_000;

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "help", Set.of(),
            "list", Set.of("--bootstrap"),
            "show", Set.of("--bootstrap", "--key", "--limit"),
            "replay", Set.of("--bootstrap", "--key", "--offset", "--dry-run"));

    static final String USAGE = """
            Looks at and replays the dead-letter topics (<topic>.dlt) of a running stack.

            Usage: ./dev-stack/dlt <command> [options]

              list
                  Every dead-letter topic and how many records it holds; for each, how many were
                  refused for which reason (the first %1$d characters of it).
              show <topic> [--key ORCHESTRATOR] [--limit N]
                  Each dead letter, by partition then offset: where it lies on the dead-letter
                  topic (partition@offset), the topic, partition and offset it came from, its key,
                  what refused it and why, its timestamp, and its value as text (cut at %2$d
                  characters, control characters escaped). --limit: how many (default %3$d).
              replay <topic> [--key ORCHESTRATOR] [--offset P@O ...] [--dry-run]
                  Publishes the chosen dead letters again, unchanged (key, value and their own
                  headers, without the kafka_dlt-* ones), to the topic they were refused on, with
                  acks=all and idempotence, waiting for every ack, and prints what it sent.
                  --key and --offset (partition@offset on the dead-letter topic, as show prints
                  them) narrow the choice; without either, every dead letter is replayed.
                  --dry-run prints what would be sent and sends nothing.
                  Only what the dead-letter topic held when the command started is read.
                  Replayed records stay on the dead-letter topic: replaying them again publishes
                  them again. A replayed record that is still refused lands on the dead-letter
                  topic again, as a new record.
              help
                  This text.

            <topic> is a topic or its dead-letter topic: orchestrator.reports.v1 or
            orchestrator.reports.v1.dlt. The topics with a dead-letter topic:
              %4$s

            Every command takes --bootstrap HOST:PORT, the broker; by default KAFKA_BOOTSTRAP_SERVERS,
            else %5$s. Nothing is ever committed: the tool reads without a consumer group.
            """.formatted(REASON_GROUPED, SHOWN, SHOW_LIMIT,
            Topics.DEAD_LETTERED.stream().map(Topic::name).collect(Collectors.joining("\n  ")), DEFAULT_BOOTSTRAP);

    /**
     * What to do, as the command line says.
     *
     * @param command   {@code help}, {@code list}, {@code show} or {@code replay}
     * @param source    the topic whose dead letters {@code show} and {@code replay} work on
     * @param bootstrap the broker
     * @param key       only this orchestrator's dead letters; {@code null} for all
     * @param limit     how many {@code show} prints
     * @param offsets   only these dead letters (positions on the dead-letter topic); empty for all
     * @param dryRun    {@code replay} sends nothing
     */
    record Arguments(String command, Topic<?> source, String bootstrap, String key, int limit, List<Position> offsets,
                     boolean dryRun) {

        /** Reads the command line; an {@link IllegalArgumentException} says what is wrong with it. */
        static Arguments parse(String[] args, String environmentBootstrap) {
            String command = args.length == 0 ? "help" : args[0];
            Set<String> options = OPTIONS.get(command);
            if (options == null) {
                throw new IllegalArgumentException("unknown command: " + command);
            }
            Topic<?> source = null;
            String bootstrap = environmentBootstrap == null || environmentBootstrap.isBlank()
                    ? DEFAULT_BOOTSTRAP : environmentBootstrap;
            String key = null;
            int limit = SHOW_LIMIT;
            List<Position> offsets = new ArrayList<>();
            boolean dryRun = false;
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                if (arg.startsWith("--") && !options.contains(arg)) {
                    throw new IllegalArgumentException(command + " takes no " + arg);
                }
                switch (arg) {
                    case "--bootstrap" -> bootstrap = value(args, ++i, arg);
                    case "--key" -> key = value(args, ++i, arg);
                    case "--limit" -> limit = positive(value(args, ++i, arg));
                    case "--offset" -> {
                        offsets.add(Position.parse(value(args, ++i, arg)));
                        while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            offsets.add(Position.parse(args[++i]));
                        }
                    }
                    case "--dry-run" -> dryRun = true;
                    default -> {
                        if (source != null || command.equals("list") || command.equals("help")) {
                            throw new IllegalArgumentException("unexpected argument: " + arg);
                        }
                        source = source(arg);
                    }
                }
            }
            if (source == null && (command.equals("show") || command.equals("replay"))) {
                throw new IllegalArgumentException(command + " needs a topic, e.g. " + Topics.REPORTS.name());
            }
            return new Arguments(command, source, bootstrap, key, limit, List.copyOf(offsets), dryRun);
        }

        /** The topic named, by its own name or its dead-letter topic's. */
        private static Topic<?> source(String name) {
            return Topics.DEAD_LETTERED.stream()
                    .filter(topic -> topic.name().equals(name) || topic.deadLetterName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no dead-letter topic for " + name));
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String text) {
            try {
                int value = Integer.parseInt(text);
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("--limit needs a positive number, not " + text);
        }

        /** Whether this dead letter is among the chosen ones. */
        boolean chooses(DeadLetterRecord letter) {
            return (key == null || key.equals(letter.keyText())) && (offsets.isEmpty() || offsets.contains(letter.at()));
        }
    }

    private final Arguments arguments;
    private final TopicReader reader;
    private final PrintStream out;
    private final PrintStream err;

    private DeadLetterTool(Arguments arguments, TopicReader reader, PrintStream out, PrintStream err) {
        this.arguments = arguments;
        this.reader = reader;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv("KAFKA_BOOTSTRAP_SERVERS"), System.out, System.err));
    }

    /**
     * Runs one command, printing its answer to {@code out} and what went wrong to {@code err}.
     *
     * @return the exit status: 0 done, 1 failed (nothing sent unless {@code out} says so), 2 a wrong command line
     */
    static int run(String[] args, String environmentBootstrap, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args, environmentBootstrap);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + " (./dev-stack/dlt help shows how to use it)");
            return 2;
        }
        if (arguments.command().equals("help")) {
            out.print(USAGE);
            return 0;
        }
        try (TopicReader reader = new TopicReader(arguments.bootstrap())) {
            DeadLetterTool tool = new DeadLetterTool(arguments, reader, out, err);
            return switch (arguments.command()) {
                case "list" -> tool.list();
                case "show" -> tool.show();
                default -> tool.replay();
            };
        } catch (KafkaException | IllegalStateException e) {
            err.println(arguments.command() + " failed against " + arguments.bootstrap() + ": " + e.getMessage());
            return 1;
        }
    }

    private int list() {
        out.printf("%-45s %8s%n", "dead-letter topic", "records");
        for (Topic<?> topic : Topics.DEAD_LETTERED) {
            String deadLetterTopic = topic.deadLetterName();
            if (reader.partitions(deadLetterTopic).isEmpty()) {
                out.printf("%-45s %8s%n", deadLetterTopic, "missing");
                continue;
            }
            long count = reader.count(deadLetterTopic);
            out.printf("%-45s %8d%n", deadLetterTopic, count);
            if (count > REASONS_READ_UP_TO) {
                out.printf("%8s  reasons not grouped beyond %d records: show reads them%n", "", REASONS_READ_UP_TO);
            } else if (count > 0) {
                reader.read(deadLetterTopic).stream()
                        .map(record -> DeadLetterRecord.of(record, topic))
                        .collect(Collectors.groupingBy(DeadLetterTool::reasonGroup, LinkedHashMap::new, Collectors.counting()))
                        .entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .forEach(reason -> out.printf("%8d  %s%n", reason.getValue(), reason.getKey()));
            }
        }
        return 0;
    }

    private int show() {
        List<DeadLetterRecord> chosen = chosen();
        chosen.stream().limit(arguments.limit()).forEach(this::print);
        out.printf("%d dead letter(s)%s on %s; %d shown%n", chosen.size(),
                arguments.key() == null ? "" : " for " + arguments.key(), arguments.source().deadLetterName(),
                Math.min(chosen.size(), arguments.limit()));
        return 0;
    }

    private int replay() {
        List<DeadLetterRecord> chosen = chosen();
        List<Position> absent = arguments.offsets().stream()
                .filter(offset -> chosen.stream().noneMatch(letter -> letter.at().equals(offset)))
                .toList();
        if (!absent.isEmpty()) {
            err.println("not on " + arguments.source().deadLetterName()
                    + (arguments.key() == null ? "" : " for " + arguments.key()) + ": " + absent + "; nothing sent");
            return 1;
        }
        if (chosen.isEmpty()) {
            out.println("nothing to replay on " + arguments.source().deadLetterName()
                    + (arguments.key() == null ? "" : " for " + arguments.key()));
            return 0;
        }
        for (String target : chosen.stream().map(DeadLetterRecord::originalTopic).distinct().toList()) {
            if (reader.partitions(target).isEmpty()) {
                throw new IllegalStateException(target + ", where the dead letters came from, does not exist; nothing sent");
            }
        }
        if (arguments.dryRun()) {
            chosen.forEach(letter -> out.printf("would replay %s %s -> %s  key %s%n", letter.topic(), letter.at(),
                    letter.originalTopic(), letter.keyText()));
            out.printf("dry run: %d dead letter(s) would be replayed; nothing sent%n", chosen.size());
            return 0;
        }
        return send(chosen);
    }

    private int send(List<DeadLetterRecord> letters) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, arguments.bootstrap(),
                ProducerConfig.CLIENT_ID_CONFIG, "dev-stack-dlt-replay",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = letters.stream().map(letter -> producer.send(letter.replay())).toList();
            for (int i = 0; i < letters.size(); i++) {
                DeadLetterRecord letter = letters.get(i);
                try {
                    RecordMetadata acked = sent.get(i).get();
                    out.printf("replayed %s %s -> %s %d@%d  key %s%n", letter.topic(), letter.at(), acked.topic(),
                            acked.partition(), acked.offset(), letter.keyText());
                } catch (ExecutionException e) {
                    err.println("replaying " + letter.topic() + " " + letter.at() + " failed: " + e.getCause().getMessage()
                            + "; only the ones printed above are certainly sent");
                    return 1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted; only the ones printed above are certainly sent");
            return 1;
        }
        out.printf("%d dead letter(s) replayed; they stay on %s%n", letters.size(), arguments.source().deadLetterName());
        return 0;
    }

    /** The source's dead letters that the arguments choose. */
    private List<DeadLetterRecord> chosen() {
        String deadLetterTopic = arguments.source().deadLetterName();
        if (reader.partitions(deadLetterTopic).isEmpty()) {
            throw new IllegalStateException(deadLetterTopic + " does not exist");
        }
        return reader.read(deadLetterTopic).stream()
                .map(record -> DeadLetterRecord.of(record, arguments.source()))
                .filter(arguments::chooses)
                .toList();
    }

    private void print(DeadLetterRecord letter) {
        out.printf("%s %s  %s%n", letter.topic(), letter.at(), letter.timestamp());
        out.printf("  from     %s %s%n", letter.originalTopic(), letter.original() == null ? "(offset unknown)" : letter.original());
        out.printf("  key      %s%n", letter.key() == null ? "(none)" : printable(letter.keyText(), SHOWN));
        out.printf("  refused  %s: %s%n", Objects.requireNonNullElse(letter.refusedBy(), "(unsaid)"),
                letter.reason() == null ? "(unsaid)" : printable(letter.reason(), SHOWN));
        out.printf("  value    %s%n", letter.value() == null ? "(null)"
                : printable(new String(letter.value(), StandardCharsets.UTF_8), SHOWN));
    }

    /** The first {@value #REASON_GROUPED} characters of why, which dead letters refused alike share. */
    private static String reasonGroup(DeadLetterRecord letter) {
        if (letter.reason() == null) {
            return "(no reason given)";
        }
        String reason = letter.reason();
        return reason.length() <= REASON_GROUPED ? escaped(reason) : escaped(reason.substring(0, REASON_GROUPED)) + "…";
    }

    /** The text cut at {@code max} characters, saying how much was cut, with control characters escaped. */
    private static String printable(String text, int max) {
        return text.length() <= max ? escaped(text)
                : escaped(text.substring(0, max)) + "… (" + (text.length() - max) + " more characters)";
    }

    private static String escaped(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
