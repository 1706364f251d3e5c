package ai.moolai.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.moolai.testsupport.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/** Hands one of control-api's listeners records that it then reads in one batch. */
public final class ListenerBatches {

    private ListenerBatches() {
    }

    /** Sends the records, in order, while the listener is paused, so it reads them together once resumed. */
    public static void inOneBatch(KafkaListenerEndpointRegistry listeners, String listener,
                                  List<ProducerRecord<String, byte[]>> records) throws Exception {
        MessageListenerContainer container = listeners.getListenerContainer(listener);
        container.pause();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(container::isContainerPaused);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new ByteArraySerializer())) {
            for (var record : records) {
                producer.send(record).get();
            }
        } finally {
            container.resume();
        }
    }
}
