package ai.moolai.control.events;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import ai.moolai.protocol.Json;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's live events, through PostgreSQL, so that they reach the browsers of every
 * control-api replica, not only of the one that saw the change. What changes is announced with
 * {@code pg_notify} in the transaction that changes it, so it is told once committed and never
 * before; every replica listens on a connection of its own and hands what it hears to its
 * {@link EventHub}. New recommendations arrive the same way, announced by report-ingest's inserts
 * (a trigger of the schema).
 */
@Component
public class LiveFeed implements SmartLifecycle {

    /** The channel of what control-api announces: {@code {"event": name, "data": …}}. */
    static final String CHANNEL = "mooli_live";
    /** The channel report-ingest's inserts announce new recommendations on. */
    static final String RECOMMENDATIONS = "recommendation_created";
    /**
     * A notification's payload is at most 8,000 bytes: an event whose data would not fit is told
     * without it (the dashboard re-reads what an event touches; it does not read the data).
     */
    private static final int MAX_PAYLOAD = 7_900;
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final EventHub hub;
    private volatile boolean running;
    private Thread thread;

    LiveFeed(DataSource dataSource, JdbcClient jdbc, EventHub hub) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.hub = hub;
    }

    /** Announces one event to every replica's browsers, once the current transaction commits (at once without one). */
    public void announce(String event, Object data) {
        announceAll(event, Collections.singletonList(data));
    }

    /** Announces one event per element of {@code data}, in one statement. */
    public void announceAll(String event, List<?> data) {
        if (data.isEmpty()) {
            return;
        }
        String[] payloads = data.stream().map(each -> payload(event, each)).toArray(String[]::new);
        jdbc.sql("SELECT count(pg_notify('" + CHANNEL + "', payload)) FROM unnest(CAST(:payloads AS text[])) AS payload")
                .param("payloads", payloads)
                .query(Long.class).single();
    }

    private static String payload(String event, Object data) {
        if (data == null) {
            return Json.events().writeValueAsString(Map.of("event", event));
        }
        String payload = Json.events().writeValueAsString(Map.of("event", event, "data", data));
        if (payload.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD) {
            return payload;
        }
        return Json.events().writeValueAsString(Map.of("event", event));
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                    statement.execute("LISTEN " + RECOMMENDATIONS);
                }
                try {
                    PGConnection postgres = connection.unwrap(PGConnection.class);
                    while (running) {
                        PGNotification[] notifications = postgres.getNotifications(500);
                        if (notifications != null) {
                            for (PGNotification notification : notifications) {
                                deliver(notification);
                            }
                        }
                    }
                } finally {
                    // Back in the pool, the connection must not go on collecting notifications nobody reads.
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("UNLISTEN *");
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.warn("the live feed lost its connection to PostgreSQL, retrying in {}: {}", RETRY, e.toString());
                    try {
                        Thread.sleep(RETRY.toMillis());
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    /** Hands one notification to the hub; one it cannot read is logged and skipped, the next is read. */
    private void deliver(PGNotification notification) {
        try {
            JsonNode payload = Json.events().readTree(notification.getParameter());
            if (RECOMMENDATIONS.equals(notification.getName())) {
                hub.publish("recommendation", payload);
            } else {
                hub.publish(payload.path("event").asString(), payload.has("data") ? payload.get("data") : Map.of());
            }
        } catch (RuntimeException unreadable) {
            log.warn("the live feed skipped a notification on {} it could not read: {}", notification.getName(),
                    unreadable.toString());
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "live-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
