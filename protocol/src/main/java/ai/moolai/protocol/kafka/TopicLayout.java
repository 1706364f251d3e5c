package ai.moolai.protocol.kafka;

/**
 * How many partitions and replicas every topic of the contract has. One layout for all: the
 * topics are keyed by orchestrator id, and liveness-stream joins its inputs partition by partition,
 * so they must have as many partitions each. Partitions are the ceiling of every consumer group's
 * parallelism.
 *
 * @param partitions        partitions of each topic
 * @param replicationFactor replicas of each partition
 * @param minInsyncReplicas replicas that must have a write before an {@code acks=all} producer is told it is written
 */
public record TopicLayout(int partitions, short replicationFactor, int minInsyncReplicas) {

    /** The partitions of each topic unless configured. */
    public static final int DEFAULT_PARTITIONS = 12;

    public TopicLayout {
        if (partitions < 1 || replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("a topic layout needs at least one partition and one replica, and no more "
                    + "replicas in sync than replicas: " + partitions + " partitions, " + replicationFactor
                    + " replicas, " + minInsyncReplicas + " in sync");
        }
    }

    /**
     * The default on a cluster of {@code brokers} brokers: 3 replicas, 2 of them in sync, where there
     * are at least 3 brokers (a write survives the loss of any one broker); otherwise 1 and 1.
     */
    public static TopicLayout forCluster(int partitions, int brokers) {
        return brokers >= 3 ? new TopicLayout(partitions, (short) 3, 2) : new TopicLayout(partitions, (short) 1, 1);
    }
}
