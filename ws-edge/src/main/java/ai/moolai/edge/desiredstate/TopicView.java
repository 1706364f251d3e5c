package ai.moolai.edge.desiredstate;

import ai.moolai.protocol.kafka.Topic;
import ai.moolai.service.consumer.RecordReader;
import org.springframework.context.SmartLifecycle;

/**
 * What the edge knows of one compacted topic, read from the beginning by a {@link TopicFollower}
 * that starts and stops with the application.
 *
 * @param <V> the topic's value type
 */
abstract class TopicView<V> implements SmartLifecycle {

    private final TopicFollowers followers;
    private final String consumer;
    private final Topic<V> topic;
    private final RecordReader<V> reader;
    private volatile TopicFollower<V> follower;
    private volatile boolean running;

    TopicView(TopicFollowers followers, String consumer, Topic<V> topic, RecordReader<V> reader) {
        this.followers = followers;
        this.consumer = consumer;
        this.topic = topic;
        this.reader = reader;
    }

    /** One record read, on the follower's thread, in offset order per partition. */
    abstract void apply(Followed<V> read);

    /** The follower, once started. */
    TopicFollower<V> follower() {
        return follower;
    }

    @Override
    public void start() {
        follower = followers.follow(consumer, topic, reader, true, this::apply);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            follower.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
