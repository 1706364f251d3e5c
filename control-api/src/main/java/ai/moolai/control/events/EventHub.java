package ai.moolai.control.events;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import ai.moolai.control.system.Credential;
import ai.moolai.control.system.EventStreamProperties;
import ai.moolai.control.system.EventTickets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's live feed. Events are sent from a thread of their own, so a slow browser holds
 * up no Kafka listener; a comment every 15 s keeps idle connections open through proxies. Each
 * stream runs on the credential that opened it: it ends when that credential expires, when it is
 * found revoked (checked every 15 s) or at the streams' maximum age, whichever comes first, and the
 * browser opens a new one with a new ticket. Streams end first at shutdown (browsers reconnect to
 * another instance).
 */
@Component
public class EventHub implements SmartLifecycle {

    private static final Duration CHECK_EVERY = Duration.ofSeconds(15);

    private final EventTickets tickets;
    private final Duration maxAge;
    /** Each open stream, with the credential it runs on. */
    private final Map<SseEmitter, Credential> subscribers = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "sse-sender"));
    private final ScheduledExecutorService keepAlive =
            Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "sse-keepalive"));

    EventHub(MeterRegistry meters, EventTickets tickets, EventStreamProperties properties) {
        this.tickets = tickets;
        this.maxAge = properties.maxAge();
        Gauge.builder("controller.sse.subscribers", subscribers, Map::size).register(meters);
        keepAlive.scheduleAtFixedRate(() -> sender.execute(() -> subscribers.forEach((emitter, credential) -> {
            if (tickets.honours(credential)) {
                send(emitter, SseEmitter.event().comment("keep-alive"));
            } else {
                end(emitter);
            }
        })), CHECK_EVERY.toSeconds(), CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /** A stream for the holder of a credential, until the credential expires or the stream's maximum age passes. */
    SseEmitter subscribe(Credential credential) {
        Instant now = Instant.now();
        Instant end = now.plus(maxAge);
        if (credential.expiresAt() != null && credential.expiresAt().isBefore(end)) {
            end = credential.expiresAt();
        }
        SseEmitter emitter = new SseEmitter(Math.max(1, Duration.between(now, end).toMillis()));
        emitter.onCompletion(() -> subscribers.remove(emitter));
        emitter.onTimeout(() -> end(emitter));
        emitter.onError(error -> subscribers.remove(emitter));
        subscribers.put(emitter, credential);
        sender.execute(() -> send(emitter, SseEmitter.event().name("ready").data("{}", MediaType.APPLICATION_JSON)));
        return emitter;
    }

    /** Sends one named event with a JSON body to every subscriber. */
    public void publish(String name, Object data) {
        sender.execute(() -> subscribers.keySet().forEach(emitter ->
                send(emitter, SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON))));
    }

    /** Ends a stream cleanly: the browser sees it close and opens another with a new ticket. */
    private void end(SseEmitter emitter) {
        subscribers.remove(emitter);
        emitter.complete();
    }

    private void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException gone) {
            subscribers.remove(emitter);
        }
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream first thing at shutdown, so graceful shutdown does not wait for them. */
    @Override
    public void stop() {
        running = false;
        keepAlive.shutdownNow();
        subscribers.keySet().forEach(SseEmitter::complete);
        subscribers.clear();
        sender.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
