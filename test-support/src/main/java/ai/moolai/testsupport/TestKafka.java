package ai.moolai.testsupport;

import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * The run's embedded KRaft broker, started once per test JVM by spring-kafka-test's global
 * embedded broker ({@code spring.kafka.global.embedded.enabled=true} in the module's
 * {@code junit-platform.properties}).
 */
public final class TestKafka {

    private TestKafka() {
    }

    /** The broker's bootstrap servers. */
    public static String bootstrapServers() {
        String brokers = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        if (brokers == null) {
            throw new IllegalStateException("no embedded broker: set spring.kafka.global.embedded.enabled=true "
                    + "in src/test/resources/junit-platform.properties");
        }
        return brokers;
    }
}
