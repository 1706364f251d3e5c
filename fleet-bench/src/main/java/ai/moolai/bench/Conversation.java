package ai.moolai.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.moolai.process.ChildProcess;

/**
 * A child process the benchmark speaks with: a command a line on its standard input, an answer a
 * line on its standard output; its standard error goes to its log.
 */
final class Conversation {

    private final ChildProcess process;
    private final PrintWriter commands;
    private final BufferedReader answers;

    private Conversation(ChildProcess process) {
        this.process = process;
        this.commands = new PrintWriter(process.process().getOutputStream(), true, StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.process().getInputStream(), StandardCharsets.UTF_8));
    }

    static Conversation start(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        return new Conversation(ChildProcess.startAnswering(name, command, environment, log));
    }

    void tell(String command) {
        commands.println(command);
    }

    /**
     * The next line that starts with {@code answer}; lines before it are shown.
     *
     * @throws IllegalStateException with the end of its log, when it ends without that answer
     */
    String await(String answer) throws IOException {
        for (String line = answers.readLine(); line != null; line = answers.readLine()) {
            if (line.startsWith(answer)) {
                return line;
            }
            System.out.println(process.name() + ": " + line);
        }
        throw new IllegalStateException(process.name() + " ended without answering " + answer + "; its log ends:\n"
                + process.tail());
    }

    String ask(String command, String answer) throws IOException {
        tell(command);
        return await(answer);
    }

    /** Waits for it to exit, once told to. */
    void awaitExit(Duration within) throws InterruptedException {
        process.awaitExit(within);
    }
}
