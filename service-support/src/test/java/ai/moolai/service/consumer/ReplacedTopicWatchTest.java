package ai.moolai.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import ai.moolai.testsupport.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * On a real broker: a topic's id noted at the first look, nothing replayed while it stays, and every
 * listener told to read it again once it is replaced, whether the watch saw it gone in between or not.
 */
class ReplacedTopicWatchTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    private final String topic = "replaced-" + UUID.randomUUID();
    private final Listener first = new Listener();
    private final Listener second = new Listener();
    private final ReplacedTopicWatch watch = watching(first, second);

    /** A listener assigned partitions of the topic, which notes what it is told to replay. */
    private final class Listener extends ReplayingListener {
        final List<String> replayed = new CopyOnWriteArrayList<>();

        @Override
        Set<String> topics() {
            return Set.of(topic);
        }

        @Override
        void replay(String replacedTopic) {
            replayed.add(replacedTopic);
        }
    }

    @AfterEach
    void stop() {
        watch.stop();
        admin.close();
    }

    @Test
    void tellsEveryListenerToReadAReplacedTopicAgainOnce() throws Exception {
        create();
        watch.look();
        watch.look();
        assertThat(first.replayed).as("a topic seen as it was").isEmpty();

        replace();
        lookUntilReplayed();
        watch.look();
        watch.look();

        assertThat(first.replayed).containsExactly(topic);
        assertThat(second.replayed).containsExactly(topic);
        assertThat(meters.get("consumer.topic.replaced").tag("topic", topic).counter().count()).isEqualTo(1.0);
    }

    @Test
    void aTopicSeenGoneIsReplayedWhenItComesBack() throws Exception {
        create();
        watch.look();
        admin.deleteTopics(List.of(topic)).all().get();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get().contains(topic));

        watch.look();
        assertThat(first.replayed).as("nothing to read while it is gone").isEmpty();

        create();
        lookUntilReplayed();
        watch.look();
        assertThat(first.replayed).containsExactly(topic);
    }

    /** The broker's metadata follows the controller's a moment later: the change shows at one of the next looks. */
    private void lookUntilReplayed() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            watch.look();
            return !first.replayed.isEmpty();
        });
    }

    private void replace() throws Exception {
        admin.deleteTopics(List.of(topic)).all().get();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            return true;
        });
    }

    private void create() throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }

    private ReplacedTopicWatch watching(Listener... listeners) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        for (int i = 0; i < listeners.length; i++) {
            beans.addBean("listener" + i, listeners[i]);
        }
        return new ReplacedTopicWatch(new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers())), beans.getBeanProvider(ReplayingListener.class), meters);
    }
}
