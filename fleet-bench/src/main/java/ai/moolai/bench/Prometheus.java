package ai.moolai.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads single values from a service's {@code /actuator/prometheus}. */
final class Prometheus {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;

    Prometheus(String baseUrl) {
        this.uri = URI.create(baseUrl + "/actuator/prometheus");
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
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
