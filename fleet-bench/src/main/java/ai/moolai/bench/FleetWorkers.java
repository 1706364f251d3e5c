package ai.moolai.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.moolai.process.ChildProcess;

/**
 * The client processes ({@link FleetWorker}) that hold a fleet's sessions: several, so that the
 * fleet can be larger than one process's open-file limit.
 */
final class FleetWorkers implements AutoCloseable {

    private final Path work;
    private final List<Conversation> workers = new ArrayList<>();

    /** Client processes whose member files and logs go to {@code work}. */
    FleetWorkers(Path work) {
        this.work = work;
    }

    /**
     * Starts a client process that holds a session on {@code edge} for each of {@code members},
     * heartbeating every {@code interval} seconds.
     *
     * @return how many sessions it opened
     */
    int start(List<SimulatedFleet.Member> members, long interval, URI edge) throws IOException {
        String name = "fleet-worker-" + workers.size();
        Path file = work.resolve(name + ".members");
        Files.write(file, members.stream().map(member -> member.id() + " " + member.token()).toList());
        Conversation worker = Conversation.start(name, List.of(ChildProcess.jdkTool("java"), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), FleetWorker.class.getName(), "--edge", edge.toString(),
                "--members", file.toString(), "--interval", Long.toString(interval)), Map.of(), work.resolve(name + ".log"));
        workers.add(worker);
        int connected = Integer.parseInt(worker.await("CONNECTED ").substring("CONNECTED ".length()));
        if (connected < members.size()) {
            System.out.printf("%s: only %,d of %,d sessions opened%n", name, connected, members.size());
        }
        return connected;
    }

    /** How many client processes run. */
    int size() {
        return workers.size();
    }

    /**
     * Gives every client process the command, then waits for each one's answer.
     *
     * @return the answers, one a process
     */
    List<String> ask(String command, String answer) throws IOException {
        workers.forEach(worker -> worker.tell(command));
        List<String> answered = new ArrayList<>();
        for (Conversation worker : workers) {
            answered.add(worker.await(answer));
        }
        return answered;
    }

    /** Each client process closes its sessions cleanly and exits. */
    @Override
    public void close() throws InterruptedException {
        workers.forEach(worker -> worker.tell("STOP"));
        for (Conversation worker : workers) {
            worker.awaitExit(Duration.ofSeconds(60));
        }
    }
}
