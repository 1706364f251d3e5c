package ai.moolai.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ai.moolai.admin.AdminApi;
import ai.moolai.admin.IndependenceRequest;
import ai.moolai.admin.Instance;
import ai.moolai.admin.InstanceRequest;
import ai.moolai.admin.OrganizationRequest;
import ai.moolai.admin.Page;
import ai.moolai.protocol.Json;

/**
 * Three latencies of the running stack, through its public surfaces only. Independence: from the
 * admin's API call to the {@code independence_update} frame at the orchestrator (API, outbox,
 * Kafka, edge). Clean disconnect: sessions closed with 1000, until control-api shows them INACTIVE.
 * Detection: sessions dropped without a close, until control-api shows them INACTIVE, reported as
 * time past lastSeen + TTL. Orchestrators are created through the API. Usage:
 *
 * <pre>java -cp "fleet-bench/target/fleet-bench.jar:fleet-bench/target/lib/*" ai.moolai.bench.CommandLatencyBench \
 *     [--orchestrators 50] [--api http://127.0.0.1:8080] [--edge ws://127.0.0.1:8765/ws] [--token (default: ./dev-stack/run's)] [--ttl 30]</pre>
 */
public final class CommandLatencyBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SessionMemoryBench.options(args);
        int count = Integer.parseInt(options.getOrDefault("orchestrators", "50"));
        AdminApi api = ControlApi.connect(options);
        long ttlMillis = Long.parseLong(options.getOrDefault("ttl", "30")) * 1000;
        Path out = Path.of(options.getOrDefault("out", "fleet-bench/target/latency.json"));
        Map<String, Object> result = new LinkedHashMap<>();

        String organization = "lat-" + UUID.randomUUID().toString().substring(0, 6);
        api.createOrganization(new OrganizationRequest(organization, organization, null, null, null));
        List<SimulatedFleet.Member> members = new ArrayList<>();
        for (int i = 0; i < 3 * count; i++) {
            Instance.WithToken created = api.createInstance(new InstanceRequest(organization + "-" + i, organization, null, null, null));
            members.add(new SimulatedFleet.Member(created.orchestratorId(), created.token()));
        }
        try (SimulatedFleet fleet = new SimulatedFleet(URI.create(options.getOrDefault("edge", "ws://127.0.0.1:8765/ws")))) {
            fleet.awaitEdgeKnows(members.get(members.size() - 1), Duration.ofSeconds(30));
            int connected = fleet.connect(members, 50);
            if (connected != members.size()) {
                throw new IllegalStateException("only " + connected + " of " + members.size() + " sessions opened");
            }
            fleet.heartbeatRound(Duration.ofSeconds(1));

            List<Double> independence = new ArrayList<>();
            Map<String, Long> calledAt = new HashMap<>();
            Hops hops = new Hops(options);
            for (SimulatedFleet.Member member : members.subList(0, count)) {
                long started = System.nanoTime();
                calledAt.put(member.id(), started);
                api.setIndependence(member.id(), new IndependenceRequest(true, null));
                while (!fleet.independenceUpdates.containsKey(member.id())) {
                    if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(10)) {
                        throw new IllegalStateException("no independence_update for " + member.id() + " within 10 s");
                    }
                    TimeUnit.MICROSECONDS.sleep(200);
                }
                independence.add((fleet.independenceUpdates.get(member.id()) - started) / 1e6);
            }
            result.put("independenceCommandMs", percentiles("independence command, API call to frame at the orchestrator",
                    independence));
            List<Integer> slowest = new ArrayList<>(IntStream.range(0, independence.size()).boxed().toList());
            slowest.sort((a, b) -> Double.compare(independence.get(b), independence.get(a)));
            System.out.printf("slowest commands (position: ms): %s%n", slowest.subList(0, Math.min(5, slowest.size())).stream()
                    .map(i -> i + ": " + String.format("%.0f", independence.get(i))).toList());
            result.put("independenceHops", hops.profile(members.subList(0, count), calledAt, fleet.independenceUpdates,
                    slowest.subList(0, Math.min(5, slowest.size())).stream().map(i -> members.get(i).id()).toList()));
            hops.close();

            List<SimulatedFleet.Member> closing = members.subList(2 * count, 3 * count);
            long closed = Instant.now().toEpochMilli();
            fleet.closeCleanly(closing);
            Map<String, Double> afterClose = awaitInactive(api, organization, closing, Duration.ofSeconds(30),
                    (instance, now) -> (now - closed) / 1000.0);
            result.put("cleanDisconnectSeconds", percentiles("clean disconnect, close to INACTIVE in control-api, seconds",
                    new ArrayList<>(afterClose.values())));

            List<SimulatedFleet.Member> dropped = members.subList(count, 2 * count);
            fleet.drop(dropped);
            Map<String, Double> pastTtl = awaitInactive(api, organization, dropped,
                    Duration.ofMillis(ttlMillis + 30_000),
                    (instance, now) -> (now - instance.liveness().lastSeen().toEpochMilli() - ttlMillis) / 1000.0);
            result.put("detectionSecondsPastTtl", percentiles("detection after an abrupt drop, seconds past the TTL",
                    new ArrayList<>(pastTtl.values())));
            result.put("detected", pastTtl.size() + " of " + dropped.size());
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.events().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println("written " + out);
        System.exit(0);
    }

    /** Polls control-api until each member shows INACTIVE; measures each as it is first seen so. */
    private static Map<String, Double> awaitInactive(AdminApi api, String organization,
                                                     List<SimulatedFleet.Member> members, Duration within,
                                                     BiFunction<Instance, Long, Double> measure) throws Exception {
        Set<String> watched = members.stream().map(SimulatedFleet.Member::id).collect(Collectors.toSet());
        Map<String, Double> measured = new HashMap<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (measured.size() < watched.size() && System.nanoTime() < deadline) {
            Page<Instance> page = api.instances(organization, "INACTIVE", null, 200);
            long now = Instant.now().toEpochMilli();
            for (Instance instance : page.items()) {
                String id = instance.orchestratorId();
                if (watched.contains(id) && !measured.containsKey(id)) {
                    measured.put(id, measure.apply(instance, now));
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return measured;
    }

    static Map<String, Double> percentiles(String what, List<Double> samples) {
        List<Double> sorted = samples.stream().sorted().toList();
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("p50", sorted.get(sorted.size() / 2));
        result.put("p99", sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)));
        result.put("max", sorted.get(sorted.size() - 1));
        System.out.printf("%s: p50 %.3f, p99 %.3f, max %.3f (%d samples)%n", what, result.get("p50"), result.get("p99"),
                result.get("max"), sorted.size());
        return result;
    }
}
