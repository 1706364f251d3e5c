package ai.moolai.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads single values from a service's {@code /actuator/prometheus}, on its management port, with the management token. */
final class Prometheus {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;
    private final String token;

    /**
     * @param managementUrl the service's management address ({@code http://127.0.0.1:9081})
     * @param token         the management token
     */
    Prometheus(String managementUrl, String token) {
        this.uri = URI.create(managementUrl + "/actuator/prometheus");
        this.token = token;
    }

    /** The value of the first sample whose name and labels start with {@code series}, or NaN. */
    double value(String series) throws IOException, InterruptedException {
        Matcher sample = Pattern.compile("^" + Pattern.quote(series) + "[^ ]* ([^ ]+)$", Pattern.MULTILINE).matcher(scrape());
        return sample.find() ? Double.parseDouble(sample.group(1)) : Double.NaN;
    }

    /** The sum of the samples named {@code name} whose labels contain {@code labelText}, or NaN if there are none. */
    double sum(String name, String labelText) throws IOException, InterruptedException {
        Matcher sample = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)} ([^ ]+)$", Pattern.MULTILINE).matcher(scrape());
        double sum = Double.NaN;
        while (sample.find()) {
            if (sample.group(1).contains(labelText)) {
                sum = (Double.isNaN(sum) ? 0 : sum) + Double.parseDouble(sample.group(2));
            }
        }
        return sum;
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode()
                    + (response.statusCode() == 401 ? ": pass the services' --management-token" : ""));
        }
        return response.body();
    }
}
