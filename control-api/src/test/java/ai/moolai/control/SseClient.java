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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

import ai.moolai.testsupport.ApiClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Server-Sent Events client reading {@code /api/v1/events} as the dashboard does: it asks for a
 * ticket with its bearer token, then opens the stream with the ticket in the query.
 */
public final class SseClient implements AutoCloseable {

    /**
     * One event.
     *
     * @param id   its {@code id:}, or the last one before it
     * @param name its {@code event:} name
     * @param data its {@code data:} line
     */
    public record Event(String id, String name, String data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final CompletableFuture<Void> ended;

    private SseClient(int port, String query) {
        response = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/events?" + query))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        ended = response.thenAcceptAsync(lines -> {
            String[] id = {null};
            String[] name = {null};
            lines.body().forEach(line -> {
                if (line.startsWith("id:")) {
                    id[0] = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name[0] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    events.add(new Event(id[0], name[0], line.substring(5).trim()));
                }
            });
        });
    }

    /** The stream for the holder of a bearer token, opened as the dashboard opens it. */
    public static SseClient open(int port, String token) {
        return withQuery(port, "ticket=" + ticket(port, token));
    }

    /** The stream for the holder of a bearer token, resumed after the event with this id, as the dashboard resumes it. */
    public static SseClient resume(int port, String token, String lastEventId) {
        return withQuery(port, "ticket=" + ticket(port, token) + "&lastEventId=" + lastEventId);
    }

    /** {@code GET /api/v1/events?<query>}, whatever the query says. */
    public static SseClient withQuery(int port, String query) {
        return new SseClient(port, query);
    }

    /** A ticket from {@code POST /api/v1/events/tickets} for the holder of a bearer token. */
    public static String ticket(int port, String token) {
        ApiClient.Response answer = new ApiClient(port).post("/api/v1/events/tickets", token, null);
        if (answer.status() != 200) {
            throw new IllegalStateException("no event ticket: " + answer.status() + " " + answer.body());
        }
        return answer.body().path("ticket").asString();
    }

    public int status() {
        return response.join().statusCode();
    }

    /** Waits until the stream is open (its first event, {@code ready}, arrived). */
    public SseClient ready() {
        awaitEvent(event -> "ready".equals(event.name()));
        return this;
    }

    /** The first event that matches, waited for up to 15 s; a failure lists the events that did arrive. */
    public Event awaitEvent(Predicate<Event> matching) {
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> events.stream().filter(matching).findFirst(), Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException timeout) {
            throw new AssertionError("no such event within 15 s; the stream had " + events, timeout);
        }
    }

    /** The events so far, in order. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Whether the server ends the stream within a time. */
    public boolean endsWithin(Duration time) {
        try {
            ended.get(time.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillOpen) {
            return false;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("the stream failed instead of ending", e);
        }
    }

    @Override
    public void close() {
        response.cancel(true);
    }
}
