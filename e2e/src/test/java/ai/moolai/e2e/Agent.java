package ai.moolai.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import ai.moolai.agent.EnvFile;
import ai.moolai.process.ChildProcess;

/**
 * A runnable agent in its own process, as an orchestrator runs it.
 *
 * @param orchestratorId its orchestrator
 * @param process        the process
 * @param envFile        the {@code .env} it maintains
 */
record Agent(String orchestratorId, ChildProcess process, Path envFile) implements AutoCloseable {

    /** {@code kill -9}: no goodbye, the socket simply dies with the process. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM: the agent closes its session cleanly and exits. */
    void stop() {
        process.stop(Duration.ofSeconds(10));
    }

    boolean isAlive() {
        return process.process().isAlive();
    }

    Map<String, String> env() throws IOException {
        return new EnvFile(envFile).read();
    }

    String log() {
        return process.tail();
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            kill();
        }
    }
}
