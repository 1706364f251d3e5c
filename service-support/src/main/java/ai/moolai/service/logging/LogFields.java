package ai.moolai.service.logging;

import java.util.Map;

import ai.moolai.service.InstanceIds;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The fields a log pipeline finds in every service's JSON lines
 * ({@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs} or {@code logstash}): the MDC's
 * {@link #ORCHESTRATOR_ID} and {@link #SESSION_ID} where a line is about one, and on every line the
 * instance it came from ({@code instance_id}: {@code mooli.instance-id}, on ws-edge its edge id,
 * else its host name and port).
 */
public class LogFields implements EnvironmentPostProcessor {

    /** The orchestrator a line is about. */
    public static final String ORCHESTRATOR_ID = "orchestrator_id";
    /** The WebSocket session a line is about. */
    public static final String SESSION_ID = "session_id";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String id = environment.getProperty("mooli.instance-id", "");
        if (id.isBlank()) {
            id = InstanceIds.hostAndPort(environment.getProperty("server.port", Integer.class, 8080));
        }
        environment.getPropertySources().addLast(new MapPropertySource("mooli-log-fields",
                Map.of("logging.structured.json.add.instance_id", id)));
    }
}
