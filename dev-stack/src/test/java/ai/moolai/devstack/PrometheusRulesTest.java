package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/prometheus/}: the alert rules and the scrape configuration are what Prometheus
 * accepts ({@code promtool check}), and each alert fires on what it is for and not on what it is
 * not ({@code promtool test rules alerts.test.yml}). promtool comes with Debian's {@code prometheus}
 * package, which {@code .ci/run} installs.
 */
class PrometheusRulesTest {

    private static final Path PROMETHEUS = Path.of("..").toAbsolutePath().normalize().resolve("deploy").resolve("prometheus");

    @Test
    void theRulesAreValidAndTheirUnitTestsPass() throws Exception {
        assertThat(promtool(PROMETHEUS, "check", "rules", "alerts.yml")).contains("SUCCESS");
        assertThat(promtool(PROMETHEUS, "test", "rules", "alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void theScrapeConfigurationIsValid(@TempDir Path copy) throws Exception {
        // As deployed: the token in the file it names, beside it.
        for (String file : List.of("prometheus.yml", "alerts.yml")) {
            Files.copy(PROMETHEUS.resolve(file), copy.resolve(file));
        }
        Files.writeString(copy.resolve("management-token"), "a-management-token");
        assertThat(promtool(copy, "check", "config", "prometheus.yml")).contains("SUCCESS: 10 rules found");
    }

    /** promtool's output; a failure (or no promtool) fails the test with what it said. */
    private static String promtool(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new AssertionError("promtool is not installed: it comes with Debian's prometheus package "
                    + "(apt-get install prometheus), which .ci/run installs", missing);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + " said:\n" + output).isZero();
        return output;
    }
}
