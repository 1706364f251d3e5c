package ai.moolai.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes (a shell), started, awaited and stopped. */
class ChildProcessTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    void runsACommandToItsEndAndHandsBackItsOutput() throws Exception {
        assertThat(ChildProcess.run(List.of("sh", "-c", "echo out; echo err >&2"), WITHIN)).contains("out", "err");
    }

    @Test
    void aCommandThatFailsThrowsWithItsOutput() {
        assertThatThrownBy(() -> ChildProcess.run(List.of("sh", "-c", "echo broken; exit 3"), WITHIN))
                .isInstanceOfSatisfying(ProcessFailed.class, failed -> assertThat(failed.output()).contains("broken"))
                .hasMessageContaining("exited with 3");
    }

    @Test
    void awaitingTheExitOfAChildThatFailsShowsItsLogAndEnvironment() throws Exception {
        ChildProcess child = ChildProcess.start("failing", List.of("sh", "-c", "echo \"$GREETING\"; exit 2"),
                Map.of("GREETING", "hello from the child"), folder.resolve("logs/failing.log"));

        assertThatThrownBy(() -> child.awaitExit(WITHIN)).isInstanceOf(ProcessFailed.class)
                .hasMessageContaining("failing exited with 2").hasMessageContaining("hello from the child");
    }

    @Test
    void aChildThatDoesNotFinishInTimeIsKilled() throws Exception {
        ChildProcess child = ChildProcess.start("sleeper", List.of("sleep", "60"), Map.of(), folder.resolve("sleeper.log"));

        assertThatThrownBy(() -> child.awaitExit(Duration.ofMillis(200))).hasMessageContaining("did not finish within");
        assertThat(child.process().isAlive()).isFalse();
    }

    @Test
    void waitingForReadinessEndsEarlyWhenTheChildDies() throws Exception {
        ChildProcess child = ChildProcess.start("dies", List.of("sh", "-c", "echo last words; exit 1"), Map.of(),
                folder.resolve("dies.log"));

        assertThatThrownBy(() -> child.awaitReady(() -> false, WITHIN)).isInstanceOf(ProcessFailed.class)
                .hasMessageContaining("dies exited with 1").hasMessageContaining("last words");
    }

    @Test
    void stoppingAsksFirstAndKillsAfterTheGracePeriod() throws Exception {
        ChildProcess polite = ChildProcess.start("polite", List.of("sleep", "60"), Map.of(), folder.resolve("polite.log"));
        ChildProcess stubborn = ChildProcess.start("stubborn", List.of("sh", "-c", "trap '' TERM; echo trapped; exec sleep 60"),
                Map.of(), folder.resolve("stubborn.log"));
        stubborn.awaitReady(() -> stubborn.tail().contains("trapped"), WITHIN);

        polite.stop(WITHIN);
        stubborn.stop(Duration.ofMillis(500));

        assertThat(polite.process().exitValue()).as("ended by SIGTERM").isEqualTo(143);
        assertThat(stubborn.process().exitValue()).as("killed").isEqualTo(137);
    }

    @Test
    void anAnsweringChildTalksThroughItsStandardStreams() throws Exception {
        ChildProcess echo = ChildProcess.startAnswering("echo", List.of("sh", "-c", "read line; echo \"got $line\"; echo note >&2"),
                Map.of(), folder.resolve("echo.log"));
        PrintWriter in = new PrintWriter(echo.process().getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(echo.process().getInputStream(), StandardCharsets.UTF_8));

        in.println("BURST");

        assertThat(out.readLine()).isEqualTo("got BURST");
        echo.awaitExit(WITHIN);
        assertThat(echo.tail()).isEqualTo("note");
    }
}
