package ai.moolai.edge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The orchestrator-facing WebSocket edge: sessions, authentication and publishing to Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WsEdgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(WsEdgeApplication.class, args);
    }
}
