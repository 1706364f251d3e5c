package ai.moolai.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One process the stack started, logging to its own file. It runs in a session of its own, so a
 * Ctrl-C reaches only the launcher, which then stops the children in order.
 */
public final class ChildProcess {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        List<String> detached = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            detached.add("/usr/bin/setsid");
        }
        detached.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(detached)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Log.info(name, "starting (log: " + log + ")");
        return new ChildProcess(name, builder.start(), log);
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    /** Waits until {@code ready} answers true; fails early with the log's tail if the process dies. */
    public void awaitReady(Callable<Boolean> ready, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its log ends:\n" + tail());
            }
            try {
                if (ready.call()) {
                    Log.info(name, "ready");
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; its log ends:\n" + tail());
    }

    /** Asks the process to stop (SIGTERM), and kills it after the grace period. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        Log.info(name, "stopping");
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                Log.info(name, "did not stop within " + grace.toSeconds() + " s; killing it");
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process at once (SIGKILL), as a crash or {@code kill -9} would. */
    public void kill() throws InterruptedException {
        Log.info(name, "killing");
        process.destroyForcibly().waitFor();
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
