package ai.moolai.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where an independence command's time goes, hop by hop, from clocks on this one machine: the
 * admin's API call (bench), the change's transaction ({@code outbox.created_at}, its start), the
 * relay's send (the desired-state record's timestamp), the relay's mark after the broker's ack
 * ({@code outbox.published_at}), and the frame at the orchestrator (bench).
 */
final class Hops implements AutoCloseable {

    private final Map<String, String> options;
    private final KafkaConsumer<String, byte[]> consumer;
    /** The wall clock at a nanoTime, to put the bench's nanoTime readings on the database's and Kafka's clock. */
    private final long wallMillisAtOrigin = Instant.now().toEpochMilli();
    private final long nanoAtOrigin = System.nanoTime();

    /** Starts following the desired-state topic from its end, before the commands are sent. */
    Hops(Map<String, String> options) {
        this.options = options;
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.getOrDefault("kafka", "127.0.0.1:9092")), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.DESIRED_STATE.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** The median and the slowest commands, broken into hops (milliseconds). */
    Map<String, Object> profile(List<SimulatedFleet.Member> members, Map<String, Long> calledAt, Map<String, Long> framesAt,
                                List<String> slowest) throws Exception {
        Map<String, Long> sentAt = new HashMap<>();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
             sentAt.size() < members.size() && System.nanoTime() < deadline; ) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                sentAt.put(record.key(), record.timestamp());
            }
        }
        Map<String, long[]> outbox = new HashMap<>();
        try (Connection connection = ControlApi.database(options);
             PreparedStatement query = connection.prepareStatement("SELECT message_key, created_at, published_at FROM outbox "
                     + "WHERE topic = ? AND message_key = ANY(?) ORDER BY id")) {
            query.setString(1, Topics.DESIRED_STATE.name());
            query.setArray(2, connection.createArrayOf("text", members.stream().map(SimulatedFleet.Member::id).toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    outbox.put(rows.getString(1), new long[] {rows.getTimestamp(2).getTime(), rows.getTimestamp(3).getTime()});
                }
            }
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (SimulatedFleet.Member member : members) {
            long[] row = outbox.get(member.id());
            Long sent = sentAt.get(member.id());
            if (row == null || sent == null || !framesAt.containsKey(member.id())) {
                continue;
            }
            long called = wall(calledAt.get(member.id()));
            Map<String, Object> hops = new LinkedHashMap<>();
            hops.put("orchestratorId", member.id());
            hops.put("apiToTransaction", row[0] - called);
            hops.put("transactionToRelaySend", sent - row[0]);
            hops.put("relaySendToAckedMark", row[1] - sent);
            hops.put("relaySendToFrame", wall(framesAt.get(member.id())) - sent);
            hops.put("total", wall(framesAt.get(member.id())) - called);
            all.add(hops);
        }
        all.sort((a, b) -> Long.compare((Long) a.get("total"), (Long) b.get("total")));
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("median", all.isEmpty() ? null : all.get(all.size() / 2));
        profile.put("slowest", all.stream().filter(hops -> slowest.contains((String) hops.get("orchestratorId"))).toList());
        System.out.println("hops (ms) of the median command: " + profile.get("median"));
        System.out.println("hops (ms) of the slowest commands: " + profile.get("slowest"));
        return profile;
    }

    private long wall(long nanoTime) {
        return wallMillisAtOrigin + (nanoTime - nanoAtOrigin) / 1_000_000;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
