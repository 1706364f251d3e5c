package ai.moolai.control.events;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's live feed. Events are sent from a thread of their own, so a slow browser holds
 * up no Kafka listener; a comment every 15 s keeps idle connections open through proxies. Streams
 * end first at shutdown (browsers reconnect to another instance).
 */
@Component
public class EventHub implements SmartLifecycle {

    static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

    private final Set<SseEmitter> subscribers = ConcurrentHashMap.newKeySet();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "sse-sender"));
    private final ScheduledExecutorService keepAlive =
            Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "sse-keepalive"));

    EventHub(MeterRegistry meters) {
        Gauge.builder("controller.sse.subscribers", subscribers, Set::size).register(meters);
        keepAlive.scheduleAtFixedRate(() -> sender.execute(() -> subscribers.forEach(emitter ->
                send(emitter, SseEmitter.event().comment("keep-alive")))), 15, 15, TimeUnit.SECONDS);
    }

    SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        emitter.onCompletion(() -> subscribers.remove(emitter));
        emitter.onTimeout(() -> subscribers.remove(emitter));
        emitter.onError(error -> subscribers.remove(emitter));
        subscribers.add(emitter);
        sender.execute(() -> send(emitter, SseEmitter.event().name("ready").data("{}", MediaType.APPLICATION_JSON)));
        return emitter;
    }

    /** Sends one named event with a JSON body to every subscriber. */
    public void publish(String name, Object data) {
        sender.execute(() -> subscribers.forEach(emitter ->
                send(emitter, SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON))));
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
        subscribers.forEach(SseEmitter::complete);
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
