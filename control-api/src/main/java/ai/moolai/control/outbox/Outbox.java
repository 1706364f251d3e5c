package ai.moolai.control.outbox;

import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.Topic;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends a record to publish, in the transaction of the change it announces: both commit or
 * neither does. After the commit the relay is woken at once.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final OutboxRelay relay;

    Outbox(JdbcClient jdbc, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.relay = relay;
    }

    /** Queues {@code value} (a tombstone when {@code null}) for {@code topic} under {@code key}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public <V> void append(Topic<V> topic, String key, V value) {
        jdbc.sql("INSERT INTO outbox (topic, message_key, payload) VALUES (:topic, :key, CAST(:payload AS jsonb))")
                .param("topic", topic.name())
                .param("key", key)
                .param("payload", value == null ? null : Json.events().writeValueAsString(value))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }
}
