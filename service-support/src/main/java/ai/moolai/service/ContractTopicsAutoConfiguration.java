package ai.moolai.service;

import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The contract's topics and their dead-letter topics, created at start where they are missing
 * (existing ones are left as they are), before any consumer or Streams application starts.
 */
@AutoConfiguration
public class ContractTopicsAutoConfiguration {

    @Bean
    KafkaAdmin.NewTopics contractTopics() {
        return new KafkaAdmin.NewTopics(Topics.newTopics().toArray(NewTopic[]::new));
    }
}
