package ai.moolai.bench;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Reads a service's meters through Actuator's {@code /actuator/metrics/{name}}, on its management
 * port, with the management token.
 */
final class Metrics {

    /**
     * Actuator's answer: each statistic of the meters that carry the name and the tags asked for,
     * summed over them (for {@code MAX}, their maximum).
     *
     * @param name         the meter's name
     * @param measurements one value per statistic
     */
    record Meter(String name, List<Measurement> measurements) {
    }

    /**
     * @param statistic {@code COUNT}, {@code VALUE}, {@code TOTAL}, {@code TOTAL_TIME} (seconds) or {@code MAX}
     * @param value     its value
     */
    record Measurement(String statistic, double value) {
    }

    private final RestClient management;
    private final String managementUrl;

    /**
     * @param managementUrl the service's management address ({@code http://127.0.0.1:9081})
     * @param token         the management token
     */
    Metrics(String managementUrl, String token) {
        this.managementUrl = managementUrl;
        this.management = RestClient.builder().baseUrl(managementUrl)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    /**
     * One statistic of the meters named {@code name} that carry every tag given ({@code key:value}),
     * or NaN while there is no such meter.
     */
    double value(String name, String statistic, String... tags) {
        Meter meter;
        try {
            meter = management.get()
                    .uri(uri -> uri.path("/actuator/metrics/{name}").queryParam("tag", (Object[]) tags).build(name))
                    .retrieve().body(Meter.class);
        } catch (HttpClientErrorException.NotFound none) {
            return Double.NaN;
        } catch (HttpClientErrorException.Unauthorized refused) {
            throw new IllegalStateException(managementUrl + " answered 401: pass the services' --management-token", refused);
        }
        return meter.measurements().stream().filter(measurement -> measurement.statistic().equals(statistic))
                .mapToDouble(Measurement::value).findFirst().orElse(Double.NaN);
    }
}
