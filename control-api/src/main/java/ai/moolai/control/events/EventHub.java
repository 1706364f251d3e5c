package ai.moolai.control.events;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import ai.moolai.control.system.Credential;
import ai.moolai.control.system.EventStreamProperties;
import ai.moolai.control.system.EventTickets;
import ai.moolai.protocol.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's live feed.
 * <ul>
 * <li>The fleet's changes go out coalesced: every {@link #COALESCE} at most one {@code fleet} event
 * with each orchestrator whose liveness changed since the last one (its latest liveness only) and
 * whether transitions were stored. Beyond {@link #MAX_CHANGES} a stream that takes every change
 * gets none but {@code truncated} (read the pages again); a watching stream still gets its own,
 * a small share, up to {@link #MAX_WATCHED_CHANGES} changes in all, unless its share is itself
 * over {@link #MAX_CHANGES}. The fleet's summary is read again at most every {@link #SUMMARY_EVERY} while changes
 * come, on a thread of its own, and goes out in a {@code fleet} event of its own. A storm of
 * thousands of transitions a second is four events a second and one summary read, not an event
 * per transition per browser and a read per browser.</li>
 * <li>A stream opened with a {@link Watch} (the orchestrators its dashboard shows) is sent, in each
 * {@code fleet} event, only the changes of those and a count of the others: a dashboard's bytes
 * follow the changes it shows, not the fleet's. Once a second such a stream is also told when the
 * orchestrators it watches were last heard ({@code seen}, from {@link RecentlySeen}; not kept, no id),
 * so that "last seen" is right to the second.</li>
 * <li>Every event has an id ({@code <this replica's epoch>-<sequence>}) and the last
 * {@link #KEPT} are kept (at most {@link #KEPT_BYTES} of them): a stream opened with the last id its browser saw ({@code Last-Event-ID},
 * or {@code lastEventId} in the query) gets what it missed first, in order; when that is no longer
 * kept, or the id is another replica's or an earlier run's, it gets {@code reset} and reads
 * everything again.</li>
 * <li>Events are sent from a thread of their own, each serialized once for every stream, so a slow
 * browser holds up no Kafka listener; a comment every 15 s keeps idle connections open through
 * proxies.</li>
 * <li>Each stream runs on the credential that opened it: it ends when that credential expires, when
 * it is found revoked (checked every 15 s) or at the streams' maximum age, whichever comes first,
 * and the browser opens a new one with a new ticket. Streams end first at shutdown (browsers
 * reconnect to another instance).</li>
 * </ul>
 */
@Component
public class EventHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(15);
    /** How often the fleet's changes go out, at most. */
    static final Duration COALESCE = Duration.ofMillis(250);
    /** How often, at most, the summary is read again while changes come. */
    static final Duration SUMMARY_EVERY = Duration.ofSeconds(1);
    /** Events kept for streams that resume. */
    static final int KEPT = 2_000;
    static final long KEPT_BYTES = 16L * 1024 * 1024;
    /** How often watching streams are told who they watch was heard. */
    static final Duration SEEN_EVERY = Duration.ofSeconds(1);
    /** Orchestrators one {@code fleet} event carries at most to a stream that takes every change. */
    static final int MAX_CHANGES = 1_000;
    /** Changes one {@code fleet} event keeps at most for watching streams; beyond, it is truncated for them too. */
    static final int MAX_WATCHED_CHANGES = 20_000;

    /**
     * One event as sent: its id and its JSON for streams that take every change, written once; for
     * a {@code fleet} event with changes, those too, each written once, for the streams that watch
     * only some orchestrators; and what it costs to keep, roughly.
     */
    private record Sent(long sequence, String id, String name, String json, List<Change> changes,
                        boolean transitionsStored, long bytes) {
    }

    /** One orchestrator's change in a {@code fleet} event: its id's hashes, for watches, and its liveness as JSON. */
    private record Change(int h1, int h2, String json) {
    }

    /** An open stream: the credential it runs on, and what it watches (null: everything). */
    private record Stream(Credential credential, Watch watch) {
    }

    /**
     * @param orchestrators     the liveness of each orchestrator that changed since the last one
     * @param truncated         whether more changed than an event carries: none are, read the pages again
     * @param transitionsStored whether status changes were stored in the history meanwhile
     * @param summary           counts by status and recent changes, now; null when not read for this event
     * @param others            how many changed that the stream does not watch, and are not carried
     */
    record FleetChanged(List<JsonNode> orchestrators, boolean truncated, boolean transitionsStored, Object summary,
                        int others) {
    }

    private final EventTickets tickets;
    private final FleetSummary fleet;
    private final RecentlySeen recentlySeen;
    private final Duration maxAge;
    private final String epoch = UUID.randomUUID().toString().substring(0, 8);
    private final Map<SseEmitter, Stream> subscribers = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "sse-sender"));
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "sse-timer"));
    /** Reads the summary, so that a slow database holds up no stream. */
    private final ExecutorService summaries = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "sse-summary"));
    private final Counter resumed;
    private final Counter reset;
    // Touched on the sender thread only.
    private long sequence;
    private final Deque<Sent> recent = new ArrayDeque<>();
    private long recentBytes;
    private boolean summaryReading;
    private final Map<String, JsonNode> changedLiveness = new LinkedHashMap<>();
    private boolean transitionsStored;
    /** Whether changes came since the summary was last read, and when (nano time) it was. */
    private boolean summaryBehind;
    private long summaryReadAt = System.nanoTime() - SUMMARY_EVERY.toNanos();

    EventHub(MeterRegistry meters, EventTickets tickets, EventStreamProperties properties, FleetSummary fleet,
             RecentlySeen recentlySeen) {
        this.tickets = tickets;
        this.fleet = fleet;
        this.recentlySeen = recentlySeen;
        this.maxAge = properties.maxAge();
        Gauge.builder("controller.sse.subscribers", subscribers, Map::size).register(meters);
        resumed = Counter.builder("controller.sse.resumed").description("streams resumed where they left off").register(meters);
        reset = Counter.builder("controller.sse.reset").description("streams told to read everything again").register(meters);
        timer.scheduleAtFixedRate(() -> sender.execute(() -> subscribers.forEach((emitter, stream) -> {
            if (tickets.honours(stream.credential())) {
                send(emitter, SseEmitter.event().comment("keep-alive"));
            } else {
                end(emitter);
            }
        })), CHECK_EVERY.toSeconds(), CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(() -> sender.execute(this::flushFleet), COALESCE.toMillis(), COALESCE.toMillis(),
                TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> sender.execute(this::tellSeen), SEEN_EVERY.toMillis(), SEEN_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * A stream for the holder of a credential, until the credential expires or the stream's maximum
     * age passes; after {@code lastEventId}, when given, what it missed first; with a watch, only the
     * changes of the orchestrators it holds.
     */
    SseEmitter subscribe(Credential credential, String lastEventId, Watch watch) {
        Instant now = Instant.now();
        Instant end = now.plus(maxAge);
        if (credential.expiresAt() != null && credential.expiresAt().isBefore(end)) {
            end = credential.expiresAt();
        }
        SseEmitter emitter = new SseEmitter(Math.max(1, Duration.between(now, end).toMillis()));
        emitter.onCompletion(() -> subscribers.remove(emitter));
        emitter.onTimeout(() -> end(emitter));
        emitter.onError(error -> subscribers.remove(emitter));
        // On the sender thread, so that nothing is sent between what it missed and what comes next.
        sender.execute(() -> {
            if (lastEventId != null && !lastEventId.isBlank()) {
                resume(emitter, lastEventId, watch);
            }
            if (send(emitter, SseEmitter.event().id(lastId()).name("ready").data("{}"))) {
                subscribers.put(emitter, new Stream(credential, watch));
            }
        });
        return emitter;
    }

    /** Sends one named event with a JSON body to every subscriber; liveness and transitions go out coalesced. */
    public void publish(String name, Object data) {
        if (!running) {
            return;
        }
        sender.execute(() -> {
            if (name.equals("liveness")) {
                if (data instanceof JsonNode liveness && liveness.hasNonNull("orchestratorId")) {
                    changedLiveness.put(liveness.path("orchestratorId").asString(), liveness);
                } else {
                    log.warn("a liveness event without an orchestrator was not sent: {}", data);
                }
            } else if (name.equals("transitions")) {
                transitionsStored = true;
            } else {
                broadcast(name, Json.events().writeValueAsString(data));
            }
        });
    }

    /** One {@code fleet} event with what changed since the last one, if anything did. */
    private void flushFleet() {
        summaryBehind |= !changedLiveness.isEmpty() || transitionsStored;
        if (summaryBehind && !summaryReading && System.nanoTime() - summaryReadAt >= SUMMARY_EVERY.toNanos()) {
            readSummary();
        }
        if (changedLiveness.isEmpty() && !transitionsStored) {
            return;
        }
        if (changedLiveness.size() > MAX_WATCHED_CHANGES || changedLiveness.isEmpty()) {
            broadcast("fleet", new FleetChanged(List.of(), !changedLiveness.isEmpty(), transitionsStored, null, 0));
        } else {
            List<Change> changes = new ArrayList<>(changedLiveness.size());
            long bytes = 0;
            for (Map.Entry<String, JsonNode> changed : changedLiveness.entrySet()) {
                int[] hashes = Watch.hashes(changed.getKey());
                Change change = new Change(hashes[0], hashes[1], Json.events().writeValueAsString(changed.getValue()));
                changes.add(change);
                bytes += change.json().length();
            }
            String json = fleetJson(changes, null, transitionsStored);
            broadcast(new Sent(++sequence, epoch + "-" + sequence, "fleet", json, changes, transitionsStored,
                    bytes + json.length()));
        }
        changedLiveness.clear();
        transitionsStored = false;
    }

    /** Tells each watching stream when the orchestrators it watches were heard since the last time: {@code {"lastSeen":{id:time}}}. */
    private void tellSeen() {
        Map<String, Instant> heard = recentlySeen.drain();
        if (heard.isEmpty() || subscribers.values().stream().allMatch(stream -> stream.watch() == null)) {
            return;
        }
        Map<String, int[]> hashes = new HashMap<>();
        heard.keySet().forEach(id -> hashes.put(id, Watch.hashes(id)));
        subscribers.forEach((emitter, stream) -> {
            if (stream.watch() == null) {
                return;
            }
            Map<String, Instant> watched = new LinkedHashMap<>();
            heard.forEach((id, at) -> {
                if (stream.watch().mayHold(hashes.get(id)[0], hashes.get(id)[1])) {
                    watched.put(id, at);
                }
            });
            if (!watched.isEmpty()) {
                send(emitter, SseEmitter.event().name("seen").data(Json.events().writeValueAsString(Map.of("lastSeen", watched))));
            }
        });
    }

    /** Reads the summary on its own thread, then sends it from the sender's; on a failure the next flush tries again. */
    private void readSummary() {
        summaryReading = true;
        summaryBehind = false;
        summaries.execute(() -> {
            Object summary;
            try {
                summary = fleet.summary();
            } catch (RuntimeException unavailable) {
                log.debug("reading the fleet's summary failed, trying again in {}: {}", COALESCE, unavailable.toString());
                summary = null;
            }
            Object read = summary;
            sender.execute(() -> {
                summaryReading = false;
                summaryReadAt = System.nanoTime();
                if (read == null) {
                    summaryBehind = true;
                } else {
                    broadcast("fleet", new FleetChanged(List.of(), false, false, read, 0));
                }
            });
        });
    }

    private void broadcast(String name, FleetChanged changed) {
        broadcast(name, Json.events().writeValueAsString(changed));
    }

    private void broadcast(String name, String json) {
        broadcast(new Sent(++sequence, epoch + "-" + sequence, name, json, null, false, json.length()));
    }

    private void broadcast(Sent sent) {
        recent.addLast(sent);
        recentBytes += sent.bytes();
        while (recent.size() > KEPT || recentBytes > KEPT_BYTES) {
            recentBytes -= recent.removeFirst().bytes();
        }
        subscribers.forEach((emitter, stream) -> send(emitter, event(sent, stream.watch())));
    }

    /**
     * A {@code fleet} event's JSON, as {@link FleetChanged} writes it, from its changes' JSON: those
     * a watch may hold (all without one), and how many others there were; beyond
     * {@link #MAX_CHANGES} of them, none but {@code truncated}.
     */
    private static String fleetJson(List<Change> changes, Watch watch, boolean transitionsStored) {
        StringBuilder json = new StringBuilder("{\"orchestrators\":[");
        int carried = 0;
        int others = 0;
        for (Change change : changes) {
            if (watch == null || watch.mayHold(change.h1(), change.h2())) {
                if (++carried > MAX_CHANGES) {
                    return Json.events().writeValueAsString(new FleetChanged(List.of(), true, transitionsStored, null, 0));
                }
                json.append(carried == 1 ? "" : ",").append(change.json());
            } else {
                others++;
            }
        }
        return json.append("],\"truncated\":false,\"transitionsStored\":").append(transitionsStored)
                .append(",\"summary\":null,\"others\":").append(others).append('}').toString();
    }

    /** What a stream missed after the event it names, or {@code reset} when that is not known here. */
    private void resume(SseEmitter emitter, String lastEventId, Watch watch) {
        long after = sequenceOf(lastEventId);
        long oldest = recent.isEmpty() ? sequence + 1 : recent.getFirst().sequence();
        if (after < 0 || after > sequence || after < oldest - 1) {
            reset.increment();
            send(emitter, SseEmitter.event().name("reset").data("{\"reason\":\"the events since " + safe(lastEventId)
                    + " are not kept here: read everything again\"}"));
            return;
        }
        resumed.increment();
        recent.stream().filter(sent -> sent.sequence() > after).forEach(sent -> send(emitter, event(sent, watch)));
    }

    /** This replica's sequence number in an event id, or -1 for an id of another replica or run, or not an id. */
    private long sequenceOf(String id) {
        String prefix = epoch + "-";
        if (!id.startsWith(prefix)) {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(prefix.length()));
        } catch (NumberFormatException notAnId) {
            return -1;
        }
    }

    private String lastId() {
        return epoch + "-" + sequence;
    }

    /** Only what an id may hold, for echoing it back. */
    private static String safe(String id) {
        return id.length() > 40 || !id.matches("[A-Za-z0-9-]*") ? "that id" : id;
    }

    /** The event as a stream watching these orchestrators (null: all) is sent it. */
    private static SseEmitter.SseEventBuilder event(Sent sent, Watch watch) {
        String json = watch == null || sent.changes() == null ? sent.json() : fleetJson(sent.changes(), watch, sent.transitionsStored());
        return SseEmitter.event().id(sent.id()).name(sent.name()).data(json);
    }

    /** Ends a stream cleanly: the browser sees it close and opens another with a new ticket. */
    private void end(SseEmitter emitter) {
        subscribers.remove(emitter);
        emitter.complete();
    }

    /** Whether it was sent; a stream that cannot take it is gone. */
    private boolean send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
            return true;
        } catch (IOException | IllegalStateException gone) {
            subscribers.remove(emitter);
            return false;
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
        timer.shutdownNow();
        summaries.shutdownNow();
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
