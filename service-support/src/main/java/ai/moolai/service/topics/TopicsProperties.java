package ai.moolai.service.topics;

import java.time.Duration;

import ai.moolai.protocol.kafka.TopicLayout;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The layout of the contract's topics, under {@code mooli.topics.*} (environment
 * {@code MOOLI_TOPICS_PARTITIONS}, {@code MOOLI_TOPICS_REPLICATION_FACTOR},
 * {@code MOOLI_TOPICS_MIN_INSYNC_REPLICAS}); every service of a deployment must be given the same.
 *
 * @param partitions        partitions of each topic
 * @param replicationFactor replicas of each partition; unset: 3 on a cluster of at least 3 brokers, else 1
 * @param minInsyncReplicas {@code min.insync.replicas}; unset: 2 with 3 replicas or more, else 1
 * @param checkTimeout      how long a service waits at start for Kafka to answer about its topics
 */
@ConfigurationProperties("mooli.topics")
public record TopicsProperties(@DefaultValue("" + TopicLayout.DEFAULT_PARTITIONS) int partitions, Short replicationFactor,
                               Integer minInsyncReplicas, @DefaultValue("60s") Duration checkTimeout) {

    /** The layout on a cluster of this many brokers. */
    TopicLayout layout(int brokers) {
        TopicLayout defaults = TopicLayout.forCluster(partitions, brokers);
        short replicas = replicationFactor != null ? replicationFactor : defaults.replicationFactor();
        int inSync = minInsyncReplicas != null ? minInsyncReplicas : replicas >= 3 ? 2 : 1;
        return new TopicLayout(partitions, replicas, inSync);
    }
}
