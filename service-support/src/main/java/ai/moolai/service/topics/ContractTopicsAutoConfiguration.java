package ai.moolai.service.topics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/** The contract's topics, created and checked at start (see {@link ContractTopics}). */
@AutoConfiguration
@EnableConfigurationProperties(TopicsProperties.class)
public class ContractTopicsAutoConfiguration {

    @Bean
    ContractTopics contractTopics(KafkaAdmin kafka, TopicsProperties properties) {
        return new ContractTopics(kafka, properties);
    }
}
