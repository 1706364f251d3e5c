package ai.moolai.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP against a service a test started on a real port. */
public final class Http {

    /** The management token every service's tests run with (their {@code application-test.yml}). */
    public static final String MANAGEMENT_TOKEN = "test-management-token-for-the-test-suite-only";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** {@code GET http://localhost:<port><path>}, the body as text. */
    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return CLIENT.send(request(port, path).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET http://localhost:<port><path>} with {@code Authorization: Bearer <token>}, the body as text. */
    public static HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
        return CLIENT.send(request(port, path).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
    }
}
