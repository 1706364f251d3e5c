package ai.moolai.service.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ai.moolai.protocol.kafka.TopicLayout;
import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The contract's topics (and their dead-letter topics), as code: at start, before any consumer or
 * Streams client, each service creates those missing with the configured {@link TopicLayout}, then
 * checks that every one has it (as many partitions, at least as many replicas, the same
 * {@code min.insync.replicas}) and its cleanup policy, and refuses to start otherwise, saying what
 * is wrong and how to put it right. Co-partitioned inputs are equal because every topic has the
 * same partitions. On fewer than 3 brokers, where the default is one replica, it warns that an
 * acknowledged write is lost with its broker.
 */
public class ContractTopics implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ContractTopics.class);
    /** How long topics just created may take to show as created. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final KafkaAdmin kafka;
    private final TopicsProperties properties;
    private volatile TopicLayout layout;

    public ContractTopics(KafkaAdmin kafka, TopicsProperties properties) {
        this.kafka = kafka;
        this.properties = properties;
    }

    /** The layout the topics were found to have at start. */
    public TopicLayout layout() {
        if (layout == null) {
            throw new IllegalStateException("the contract's topics have not been checked yet");
        }
        return layout;
    }

    @Override
    public void afterSingletonsInstantiated() {
        layout = ensure(Topics.toCreate().keySet());
        log.info("Kafka topics: all {} of the contract as it defines them ({} partitions, {} replicas, "
                + "min.insync.replicas {})", Topics.toCreate().size(), layout.partitions(), layout.replicationFactor(),
                layout.minInsyncReplicas());
    }

    /**
     * Creates those of these contract topics that are missing, then checks them all.
     *
     * @return the layout they have
     * @throws IllegalStateException when Kafka does not answer in time, or a topic is not as the contract defines it
     */
    public TopicLayout ensure(Collection<String> names) {
        long timeout = properties.checkTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(adminConfig());
        // Bounded throughout, closing included: a Kafka that does not answer stops the start within the timeout.
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout, 30_000));
        Admin admin = Admin.create(config);
        try {
            // Every broker of the cluster, fenced ones included: one down for a restart is still a member,
            // and must not make a service starting meanwhile expect fewer replicas than the topics have.
            int brokers = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes()
                    .get(timeout, TimeUnit.MILLISECONDS).size();
            TopicLayout layout = properties.layout(brokers);
            if (layout.replicationFactor() == 1) {
                log.warn("Kafka topics have one replica each ({} broker(s)): an acknowledged write is lost with its "
                        + "broker; run 3 brokers, or set MOOLI_TOPICS_REPLICATION_FACTOR", brokers);
            }
            Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = Topics.newTopics(layout).stream()
                    .filter(topic -> names.contains(topic.name()) && !existing.contains(topic.name())).toList();
            create(admin, missing, timeout);
            List<String> problems = settled(admin, names, layout, timeout);
            if (!problems.isEmpty()) {
                String message = "Kafka topics are not as the contract defines them, so this service will not start: "
                        + String.join("; ", problems) + ". Recreate them (a new, empty cluster creates them right), or "
                        + "give every service the layout they have (MOOLI_TOPICS_PARTITIONS, "
                        + "MOOLI_TOPICS_REPLICATION_FACTOR, MOOLI_TOPICS_MIN_INSYNC_REPLICAS). Adding partitions to a "
                        + "keyed topic moves keys between partitions: only on an empty or drained topic";
                log.error(message);
                throw new IllegalStateException(message);
            }
            return layout;
        } catch (TimeoutException | ExecutionException e) {
            String message = "Kafka at " + adminConfig().get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + " did not tell "
                    + "within " + properties.checkTimeout() + " how its topics are: this service will not start without "
                    + "knowing they are as the contract defines them (" + e + ")";
            log.error(message);
            throw new IllegalStateException(message, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the Kafka topics", e);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static void create(Admin admin, List<NewTopic> missing, long timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (var created : admin.createTopics(missing).values().entrySet()) {
            try {
                created.getValue().get(timeout, TimeUnit.MILLISECONDS);
                log.info("created topic {}", created.getKey());
            } catch (ExecutionException e) {
                // Another service, starting at the same time, created it first: it is checked below like the rest.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /**
     * What differs from the contract, once the broker has had a moment to show topics just created
     * (here or by another service starting at the same time): looked at again for up to
     * {@link #SETTLE} while a topic is unknown to it or differs.
     */
    private List<String> settled(Admin admin, Collection<String> names, TopicLayout layout, long timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            try {
                List<String> problems = problems(admin, names, layout, timeout);
                if (problems.isEmpty() || System.nanoTime() > deadline) {
                    return problems;
                }
            } catch (ExecutionException unknown) {
                if (!(unknown.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw unknown;
                }
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    /** What differs from the contract, one phrase per topic and property. */
    private static List<String> problems(Admin admin, Collection<String> names, TopicLayout layout, long timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                .get(timeout, TimeUnit.MILLISECONDS);
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeout, TimeUnit.MILLISECONDS);
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            TopicDescription topic = topics.get(name);
            int partitions = topic.partitions().size();
            if (partitions != layout.partitions()) {
                problems.add(name + " has " + partitions + " partitions, not " + layout.partitions());
            }
            int replicas = topic.partitions().stream().mapToInt(partition -> partition.replicas().size()).min().orElse(0);
            if (replicas < layout.replicationFactor()) {
                problems.add(name + " has " + replicas + " replicas, not " + layout.replicationFactor());
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            String inSync = value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            if (!Integer.toString(layout.minInsyncReplicas()).equals(inSync)) {
                problems.add(name + " has min.insync.replicas " + inSync + ", not " + layout.minInsyncReplicas());
            }
            String cleanup = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
            String expected = Topics.toCreate().get(name).get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (!expected.equals(cleanup)) {
                problems.add(name + " has cleanup.policy " + cleanup + ", not " + expected);
            }
        }
        return problems;
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null ? null : entry.value();
    }

    private Map<String, Object> adminConfig() {
        return kafka.getConfigurationProperties();
    }
}
