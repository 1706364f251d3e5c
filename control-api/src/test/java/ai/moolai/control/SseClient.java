package ai.moolai.control;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/** A Server-Sent Events client reading {@code /api/v1/events} as a browser does, token in the query. */
public final class SseClient implements AutoCloseable {

    /**
     * One event.
     *
     * @param name its {@code event:} name
     * @param data its {@code data:} line
     */
    public record Event(String name, String data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    public SseClient(int port, String token) {
        response = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/events?access_token=" + token))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(lines -> {
            String[] name = {null};
            lines.body().forEach(line -> {
                if (line.startsWith("event:")) {
                    name[0] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    events.add(new Event(name[0], line.substring(5).trim()));
                }
            });
        });
    }

    public int status() {
        return response.join().statusCode();
    }

    /** Waits until the stream is open (its first event, {@code ready}, arrived). */
    public SseClient ready() {
        awaitEvent(event -> "ready".equals(event.name()));
        return this;
    }

    public Event awaitEvent(Predicate<Event> matching) {
        return Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> events.stream().filter(matching).findFirst(), Optional::isPresent).orElseThrow();
    }

    @Override
    public void close() {
        response.cancel(true);
    }
}
