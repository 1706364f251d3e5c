package ai.moolai.liveness;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Derives each orchestrator's liveness, transitions and windows with Kafka Streams. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LivenessStreamApplication {

    public static void main(String[] args) {
        SpringApplication.run(LivenessStreamApplication.class, args);
    }
}
