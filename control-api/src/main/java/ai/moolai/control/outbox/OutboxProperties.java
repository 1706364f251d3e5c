package ai.moolai.control.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The relay's pace, under {@code controller.outbox.*}.
 *
 * @param pollInterval how often the leader looks for rows other instances committed
 * @param batchSize    rows published per round
 * @param retryBackoff the pause after a failed round (broker or database away)
 * @param lockId       the PostgreSQL advisory lock that makes one instance the relay
 */
@ConfigurationProperties("controller.outbox")
record OutboxProperties(
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("7401") long lockId) {
}
