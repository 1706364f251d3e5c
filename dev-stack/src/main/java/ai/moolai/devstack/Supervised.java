package ai.moolai.devstack;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import ai.moolai.process.ChildProcess;
import ai.moolai.process.Log;

/**
 * A process the stack keeps running, as a process manager would: when it dies without being asked
 * to, it is started again after a backoff (1 s, doubling to 30 s; back to 1 s once it has run for a
 * minute), and the console says so. A crash can be held down for a while before the restart, as a
 * fault suite needs.
 */
final class Supervised {

    /** Starts the process and waits until it is ready. */
    interface Starter {
        ChildProcess start() throws Exception;
    }

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STEADY = Duration.ofMinutes(1);

    private final String name;
    private final Starter starter;
    private final ScheduledExecutorService restarts;
    private volatile ChildProcess current;
    private volatile Instant startedAt;
    private volatile CompletableFuture<ChildProcess> running = new CompletableFuture<>();
    /** Set while the stack itself stops or restarts it: its exit is then no crash. */
    private volatile boolean expectExit;
    private volatile Instant heldUntil = Instant.MIN;
    private volatile Runnable whileDown = () -> { };
    private int failures;

    Supervised(String name, Starter starter, ScheduledExecutorService restarts) {
        this.name = name;
        this.starter = starter;
        this.restarts = restarts;
    }

    /** Starts it and waits until it is ready; from then on it is watched. */
    void start() throws Exception {
        ChildProcess process = starter.start();
        current = process;
        startedAt = Instant.now();
        expectExit = false;
        process.process().onExit().thenRun(() -> exited(process));
        running.complete(process);
    }

    /** Stops it gracefully (SIGTERM) and starts it again, waiting for its readiness. */
    void restart(Duration grace) throws Exception {
        expectExit = true;
        running = new CompletableFuture<>();
        current.stop(grace);
        start();
    }

    /**
     * Kills it ({@code kill -9}) and keeps it down for at least {@code down}; {@code whileDown} runs
     * once it is dead, before the restart (a broker's data may be wiped there).
     */
    void crash(Duration down, Runnable whileDown) throws InterruptedException {
        this.heldUntil = Instant.now().plus(down);
        this.whileDown = whileDown;
        running = new CompletableFuture<>();
        current.kill();
    }

    /** Stops it for good. */
    void stop(Duration grace) {
        expectExit = true;
        if (current != null) {
            current.stop(grace);
        }
    }

    /** The process once it is running and ready again (at once when it is). */
    CompletableFuture<ChildProcess> running() {
        return running;
    }

    ChildProcess current() {
        return current;
    }

    String name() {
        return name;
    }

    private void exited(ChildProcess process) {
        if (expectExit || process != current || restarts.isShutdown()) {
            return;
        }
        if (running.isDone()) {
            running = new CompletableFuture<>();
        }
        Duration ran = Duration.between(startedAt, Instant.now());
        failures = ran.compareTo(STEADY) >= 0 ? 0 : failures;
        Duration backoff = backoff(failures++);
        Duration held = Duration.between(Instant.now(), heldUntil);
        Duration delay = held.compareTo(backoff) > 0 ? held : backoff;
        Log.info(name, "exited with " + process.process().exitValue() + " after " + ran.toSeconds() + " s; restarting in "
                + delay.toMillis() / 1000.0 + " s (restart " + failures + ")");
        try {
            whileDown.run();
        } finally {
            whileDown = () -> { };
        }
        restarts.schedule(() -> restart(process), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart(ChildProcess exited) {
        Instant began = Instant.now();
        try {
            start();
            Log.info(name, "running again (pid " + current.process().pid() + ", ready " + Duration.between(began,
                    Instant.now()).toMillis() / 1000.0 + " s after its start)");
        } catch (Exception e) {
            if (restarts.isShutdown()) {
                return;
            }
            Duration backoff = backoff(failures++);
            Log.info(name, "could not start again (" + e.getMessage() + "); trying again in " + backoff.toSeconds() + " s");
            restarts.schedule(() -> restart(exited), backoff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static Duration backoff(int failures) {
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures, 5));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }
}
