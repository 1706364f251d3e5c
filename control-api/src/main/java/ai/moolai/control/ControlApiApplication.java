package ai.moolai.control;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The admin API: desired state, the activity log, the transactional outbox and liveness materialization. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ControlApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(ControlApiApplication.class, args);
    }
}
