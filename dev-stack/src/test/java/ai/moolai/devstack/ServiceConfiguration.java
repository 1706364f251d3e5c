package ai.moolai.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * A service module's own {@code application.yml}, as the deployment files that run it must match:
 * its ports and how long it takes to shut down.
 */
final class ServiceConfiguration {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Spring's {@code ${NAME:default}}. */
    static final Pattern INTERPOLATION_WITH_DEFAULT = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.-]*):([^}]*)}");
    /** Spring's own default for {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    private static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    private final String module;
    private final Map<String, Object> configuration;

    private ServiceConfiguration(String module, Map<String, Object> configuration) {
        this.module = module;
        this.configuration = configuration;
    }

    static ServiceConfiguration of(String module) throws IOException {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(module).resolve("src/main/resources/application.yml"))) {
            return new ServiceConfiguration(module, new Yaml().load(reader));
        }
    }

    int serverPort() {
        return (Integer) section("server").get("port");
    }

    /** The management port: the default of its {@code ${MANAGEMENT_PORT:…}}. */
    int managementPort() {
        String port = ((Map<?, ?>) section("management").get("server")).get("port").toString();
        Matcher variable = INTERPOLATION_WITH_DEFAULT.matcher(port);
        assertThat(variable.matches()).as("%s's management port is %s", module, port).isTrue();
        assertThat(variable.group(1)).isEqualTo("MANAGEMENT_PORT");
        return Integer.parseInt(variable.group(2));
    }

    /**
     * The longest a graceful stop may take: its web server's drain, then its consumers' stop, each
     * up to {@code spring.lifecycle.timeout-per-shutdown-phase}. A stop that kills it sooner cuts a
     * drain short.
     */
    Duration shutdown() {
        Object lifecycle = ((Map<?, ?>) configuration.get("spring")).get("lifecycle");
        Duration phase = lifecycle == null ? DEFAULT_PHASE_TIMEOUT
                : Duration.parse("PT" + ((Map<?, ?>) lifecycle).get("timeout-per-shutdown-phase").toString().toUpperCase());
        return phase.multipliedBy(2);
    }

    private Map<?, ?> section(String name) {
        return (Map<?, ?>) configuration.get(name);
    }
}
