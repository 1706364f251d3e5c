package ai.moolai.control.reports;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import ai.moolai.control.events.EventHub;
import ai.moolai.protocol.Json;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * New recommendations, live: report-ingest's inserts fire a PostgreSQL notification (a trigger of
 * the schema), which this feed listens for on a connection of its own and hands to the dashboard.
 */
@Component
class RecommendationFeed implements SmartLifecycle {

    static final String CHANNEL = "recommendation_created";
    private static final Logger log = LoggerFactory.getLogger(RecommendationFeed.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final EventHub events;
    private volatile boolean running;
    private Thread thread;

    RecommendationFeed(DataSource dataSource, EventHub events) {
        this.dataSource = dataSource;
        this.events = events;
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            events.publish("recommendation", Json.events().readTree(notification.getParameter()));
                        }
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.warn("recommendation feed lost its connection, retrying in {}: {}", RETRY, e.toString());
                    try {
                        Thread.sleep(RETRY.toMillis());
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "recommendation-feed");
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
