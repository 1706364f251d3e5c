package ai.moolai.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client process of {@link FleetBench}: holds a session for each orchestrator of its members
 * file ({@code id token} per line) and heartbeats each every interval, so that several processes
 * share a fleet larger than one process's open-file limit. Answers on stdout, takes commands on
 * stdin: {@code BURST} (every session heartbeats at once), {@code STOP} (clean closes, then exit).
 */
public final class FleetWorker {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SessionMemoryBench.options(args);
        List<SimulatedFleet.Member> members = Files.readAllLines(Path.of(options.get("members"))).stream()
                .map(line -> line.split(" ")).map(parts -> new SimulatedFleet.Member(parts[0], parts[1])).toList();
        Duration interval = Duration.ofSeconds(Long.parseLong(options.getOrDefault("interval", "10")));
        AtomicBoolean burst = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        try (SimulatedFleet fleet = new SimulatedFleet(URI.create(options.get("edge")))) {
            // A handshake that timed out on a loaded machine is tried again, twice at most.
            int connected = fleet.connect(members, 200);
            for (int round = 0; round < 2 && connected < members.size(); round++) {
                connected += fleet.connect(members.stream().filter(member -> !fleet.holds(member.id())).toList(), 200);
            }
            System.out.println("CONNECTED " + connected);
            Thread commands = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null && !line.equals("STOP"); line = in.readLine()) {
                        burst.set(line.equals("BURST"));
                    }
                } catch (Exception ignored) {
                    // the coordinator went away: stop
                }
                stop.set(true);
            }, "commands");
            commands.setDaemon(true);
            commands.start();
            while (!stop.get()) {
                if (burst.getAndSet(false)) {
                    fleet.heartbeatRound(Duration.ZERO);
                    System.out.println("BURST_SENT");
                } else {
                    fleet.heartbeatRound(interval, () -> burst.get() || stop.get());
                }
                // As agents do: a session the edge closed is opened again.
                List<SimulatedFleet.Member> closed = members.stream().filter(member -> !fleet.isOpen(member.id())).toList();
                if (!closed.isEmpty() && !stop.get()) {
                    System.err.println(closed.size() + " sessions were closed: connecting them again");
                    fleet.connect(closed, 200);
                }
            }
        }
        System.out.println("STOPPED");
        System.exit(0);
    }

    private FleetWorker() {
    }
}
