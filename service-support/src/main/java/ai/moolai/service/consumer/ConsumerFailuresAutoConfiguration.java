package ai.moolai.service.consumer;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.event.ConsumerFailedToStartEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The failure path every service's consumers share: {@link RecordBatches} for listeners,
 * {@link DeadLetterPublisher} for anything that dead-letters, {@link ConsumerWatch} as the
 * {@code consumers} health, and the containers' error handler, which only ever sees errors a retry
 * may cure and retries them, with a backoff growing to 10 s, for as long as it takes: never
 * skipping, never committing past the batch; and {@link ReplacedTopicWatch}, which has a
 * {@link ReplayingListener} read a replaced topic again from its beginning.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@EnableConfigurationProperties(ConsumerFailuresAutoConfiguration.ConsumerProperties.class)
public class ConsumerFailuresAutoConfiguration {

    /**
     * @param stallAfter how long a consumer may have work without finishing it before its health says so
     */
    @ConfigurationProperties("consumers")
    public record ConsumerProperties(Duration stallAfter) {
        public ConsumerProperties {
            stallAfter = stallAfter == null ? Duration.ofSeconds(30) : stallAfter;
        }
    }

    @Bean
    @ConditionalOnMissingBean
    ConsumerWatch consumers(MeterRegistry meters, ConsumerProperties properties) {
        return new ConsumerWatch(meters, Clock.systemUTC(), properties.stallAfter());
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetterPublisher deadLetterPublisher(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Within the publisher's 30 s wait, so a dead letter that is not taken fails before the wait
        // gives up, and the retry does not race a late first copy onto the topic.
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        var factory = new DefaultKafkaProducerFactory<>(producer, new StringSerializer(), new ByteArraySerializer());
        return new DeadLetterPublisher(new KafkaTemplate<>(factory), meters);
    }

    @Bean
    @ConditionalOnMissingBean
    RecordBatches recordBatches(DeadLetterPublisher deadLetters, ConsumerWatch consumers) {
        return new RecordBatches(deadLetters, consumers);
    }

    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    DefaultErrorHandler retryUntilAvailable() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(10_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
        // Everything that reaches the container is retried: its defaults would discard a batch on
        // a few exception types, committing records never stored nor dead-lettered.
        handler.setClassifications(Map.of(), true);
        return handler;
    }

    @Bean
    @ConditionalOnMissingBean
    ReplacedTopicWatch replacedTopicWatch(KafkaAdmin kafka, ObjectProvider<ReplayingListener> listeners,
                                          MeterRegistry meters) {
        return new ReplacedTopicWatch(kafka, listeners, meters);
    }

    @Bean
    ListenerContainerFailures listenerContainerFailures(ObjectProvider<ConsumerWatch> consumers) {
        return new ListenerContainerFailures(consumers);
    }

    /** A listener container that stops other than on request, or never starts, is a dead consumer. */
    static final class ListenerContainerFailures {

        private final ObjectProvider<ConsumerWatch> consumers;

        ListenerContainerFailures(ObjectProvider<ConsumerWatch> consumers) {
            this.consumers = consumers;
        }

        @EventListener
        void on(ConsumerStoppedEvent stopped) {
            if (stopped.getReason() != ConsumerStoppedEvent.Reason.NORMAL) {
                failed(stopped.getContainer(MessageListenerContainer.class), "stopped: " + stopped.getReason());
            }
        }

        @EventListener
        void on(ConsumerFailedToStartEvent failedToStart) {
            failed(failedToStart.getContainer(MessageListenerContainer.class), "failed to start");
        }

        private void failed(MessageListenerContainer container, String reason) {
            consumers.getObject().progress(container.getListenerId()).failed(reason);
        }
    }
}
