package ai.moolai.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One process started under a name, logging to its own file. It runs in a session of its own, so a
 * Ctrl-C reaches only its parent, which then stops its children in order.
 */
public final class ChildProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with its output, standard error included, appended to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        return start(name, command, environment, log, ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    /**
     * Starts {@code command} for a conversation: its standard output is the caller's to read
     * ({@link Process#getInputStream()}), as its standard input is the caller's to write; only its
     * standard error is appended to {@code log}.
     */
    public static ChildProcess startAnswering(String name, List<String> command, Map<String, String> environment,
                                              Path log) throws IOException {
        return start(name, command, environment, log, ProcessBuilder.Redirect.PIPE);
    }

    private static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log,
                                      ProcessBuilder.Redirect output) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> detached = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            detached.add(SETSID.toString());
        }
        detached.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(detached)
                .redirectOutput(output)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Log.info(name, "starting (log: " + log + ")");
        return new ChildProcess(name, builder.start(), log);
    }

    /**
     * Runs a short command (a JDK tool, {@code psql}) to its end, with no name or log of its own.
     *
     * @return its output, standard error included
     * @throws ProcessFailed with that output, unless it exits with 0 within the time given
     */
    public static String run(List<String> command, Duration within) throws IOException, InterruptedException {
        return run(command, "", within);
    }

    /**
     * As {@link #run(List, Duration)}, with {@code input} on its standard input: what must not be on
     * a command line, which any user of the machine may read ({@code ps}), a password among it.
     */
    public static String run(List<String> command, String input, Duration within) throws IOException, InterruptedException {
        Path output = Files.createTempFile("child-process", ".out");
        Path in = Files.createTempFile("child-process", ".in");
        try {
            Files.writeString(in, input);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(in.toFile()).start();
            String failure = failure(process, within);
            String text = Files.readString(output);
            if (failure != null) {
                throw new ProcessFailed(String.join(" ", command) + " " + failure + ": " + text.strip(), text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(in);
        }
    }

    /** This JVM's own {@code java}, {@code jcmd} or {@code keytool}: what the tools start runs on the same JDK. */
    public static String jdkTool(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }

    /** A program found on {@code PATH} ({@code haproxy}), if it is installed. */
    public static Optional<String> onPath(String program) {
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Arrays.stream(path.split(File.pathSeparator))
                .map(directory -> Path.of(directory, program))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    /** The name its log lines and failures go by. */
    public String name() {
        return name;
    }

    /** The process itself: its pid, its exit, its standard streams. */
    public Process process() {
        return process;
    }

    /**
     * Waits until {@code ready} answers true; fails early with the log's tail if the process dies,
     * and kills it if it is not ready in time (so that no half-started copy is left holding its ports).
     */
    public void awaitReady(Callable<Boolean> ready, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw failed("exited with " + process.exitValue());
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
        ProcessFailed notReady = failed("not ready after " + timeout.toSeconds() + " s");
        process.destroyForcibly().waitFor();
        throw notReady;
    }

    /**
     * Waits for the process to end of itself, killing it if it has not within the time given.
     *
     * @throws ProcessFailed with the log's tail, unless it exited with 0 in time
     */
    public void awaitExit(Duration within) throws InterruptedException {
        String failure = failure(process, within);
        if (failure != null) {
            throw failed(failure);
        }
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

    /** The last lines of its log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private ProcessFailed failed(String what) {
        String tail = tail();
        return new ProcessFailed(name + " " + what + "; its log (" + log + ") ends:\n" + tail, tail);
    }

    /** How the process failed to end well within the time given (killed if it did not end), or {@code null} when it exited with 0. */
    private static String failure(Process process, Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            return "did not finish within " + within.toSeconds() + " s";
        }
        return process.exitValue() == 0 ? null : "exited with " + process.exitValue();
    }
}
