package ai.moolai.control.system;

import java.util.Map;

import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original controller's health URL, {@code GET /health} (and {@code /api/v1/controller/health}),
 * answered on the public port in the original's shape, for the probes and scripts written against
 * it: {@code healthy} or {@code degraded}, the service, its version, and whether the database is
 * connected. Anyone may ask, so it says no more than that, and the checks run at most once a second
 * however often it is asked; the details stay on the management port.
 */
@RestController
class ControllerHealthController {

    static final String SERVICE = "control-api";

    private static final long FRESH_NANOS = 1_000_000_000L;

    private final HealthEndpoint health;
    private final String version;
    private volatile Checked last;

    /** An answer, and when its checks ran ({@link System#nanoTime()}). */
    private record Checked(ResponseEntity<ControllerHealth> answer, long at) {
    }

    ControllerHealthController(HealthEndpoint health, ObjectProvider<BuildProperties> build) {
        this.health = health;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "unknown" : properties.getVersion();
    }

    @SecurityRequirements
    @GetMapping({"/health", "/api/v1/controller/health"})
    ResponseEntity<ControllerHealth> health() {
        Checked checked = last;
        long now = System.nanoTime();
        if (checked == null || now - checked.at() > FRESH_NANOS) {
            checked = new Checked(check(), now);
            last = checked;
        }
        return checked.answer();
    }

    private ResponseEntity<ControllerHealth> check() {
        var database = health.healthForPath("db");
        ControllerHealth answer = ControllerHealth.of(health.health().getStatus(),
                database == null ? Status.UNKNOWN : database.getStatus(), version);
        return ResponseEntity.status(answer.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(answer);
    }

    /**
     * The original's answer.
     *
     * @param status     {@code healthy} when every health check is up, else {@code degraded}
     * @param components {@code database}: {@code connected}, {@code disconnected} or {@code unknown}
     */
    record ControllerHealth(String status, String service, String version, Map<String, String> components) {

        static ControllerHealth of(Status overall, Status database, String version) {
            String db = Status.UP.equals(database) ? "connected"
                    : Status.DOWN.equals(database) || Status.OUT_OF_SERVICE.equals(database) ? "disconnected" : "unknown";
            return new ControllerHealth(Status.UP.equals(overall) ? "healthy" : "degraded", SERVICE, version,
                    Map.of("database", db));
        }

        boolean healthy() {
            return "healthy".equals(status);
        }
    }
}
