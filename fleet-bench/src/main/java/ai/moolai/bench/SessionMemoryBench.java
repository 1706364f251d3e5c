package ai.moolai.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ai.moolai.protocol.Json;

/**
 * Memory per idle session on one edge: holds 1,000 then 10,000 (or the given counts of) real,
 * handshaken, heartbeating sessions and compares the edge's resident set and live heap with its
 * baseline. Usage:
 *
 * <pre>java -cp "fleet-bench/target/fleet-bench.jar:fleet-bench/target/lib/*" ai.moolai.bench.SessionMemoryBench \
 *     --edge-pid PID [--edge ws://127.0.0.1:8765/ws] [--api http://127.0.0.1:8080] [--token (default: ./dev-stack/run's)]
 *     [--sessions 1000,10000] [--hold SECONDS] [--out FILE]</pre>
 */
public final class SessionMemoryBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        URI edge = URI.create(options.getOrDefault("edge", "ws://127.0.0.1:8765/ws"));
        ProcessMemory memory = new ProcessMemory(Long.parseLong(options.get("edge-pid")));
        Path out = Path.of(options.getOrDefault("out", "fleet-bench/target/session-memory.json"));
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 6);

        int[] targets = Arrays.stream(options.getOrDefault("sessions", "1000,10000").split(","))
                .mapToInt(target -> Integer.parseInt(target.trim())).toArray();
        try (SimulatedFleet fleet = new SimulatedFleet(edge)) {
            // Registered first, so the baseline already holds the edge's view of every orchestrator.
            // Through the API, as an admin does: control-api's reconciler withdraws what the database does not hold.
            List<SimulatedFleet.Member> members = ControlApi.provision(ControlApi.connect(options), prefix,
                    targets[targets.length - 1]);
            fleet.awaitEdgeKnows(members.get(members.size() - 1), Duration.ofSeconds(120));
            ProcessMemory.Sample baseline = memory.sample();
            System.out.printf("baseline (%,d orchestrators registered, none connected): RSS %,d KB, heap after GC %,d KB%n",
                    members.size(), baseline.rssKb(), baseline.heapAfterGcKb());
            List<Map<String, Object>> results = new ArrayList<>();
            int held = 0;
            for (int sessions : targets) {
                long started = System.nanoTime();
                int connected = fleet.connect(members.subList(held, sessions), 200);
                double seconds = (System.nanoTime() - started) / 1e9;
                held += connected;
                fleet.heartbeatRound(Duration.ofSeconds(5));
                ProcessMemory.Sample sample = memory.sample();
                long rssPerSession = (sample.rssKb() - baseline.rssKb()) * 1024 / held;
                long heapPerSession = (sample.heapAfterGcKb() - baseline.heapAfterGcKb()) * 1024 / held;
                System.out.printf("%,7d sessions (%,d new in %.1f s, %d open): RSS %,d KB (+%,d B/session), "
                                + "heap after GC %,d KB (+%,d B/session)%n", held, connected, seconds, fleet.open(),
                        sample.rssKb(), rssPerSession, sample.heapAfterGcKb(), heapPerSession);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("sessions", held);
                result.put("open", fleet.open());
                result.put("connectSeconds", seconds);
                result.put("rssKb", sample.rssKb());
                result.put("heapAfterGcKb", sample.heapAfterGcKb());
                result.put("rssBytesPerSession", rssPerSession);
                result.put("heapBytesPerSession", heapPerSession);
                results.add(result);
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, Json.events().writerWithDefaultPrettyPrinter().writeValueAsString(Map.of(
                    "benchmark", "session-memory", "baseline", baseline, "results", results)));
            System.out.println("written " + out);
            long hold = Long.parseLong(options.getOrDefault("hold", "0"));
            for (long until = System.nanoTime() + hold * 1_000_000_000L; System.nanoTime() < until; ) {
                fleet.heartbeatRound(Duration.ofSeconds(10));
            }
        }
        System.exit(0);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
