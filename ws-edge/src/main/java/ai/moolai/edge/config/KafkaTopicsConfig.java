package ai.moolai.edge.config;

import ai.moolai.protocol.kafka.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The contract's topics, created at start where they are missing (existing ones are left as they are). */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfig {

    @Bean
    KafkaAdmin.NewTopics contractTopics() {
        return new KafkaAdmin.NewTopics(Topics.newTopics().toArray(NewTopic[]::new));
    }
}
