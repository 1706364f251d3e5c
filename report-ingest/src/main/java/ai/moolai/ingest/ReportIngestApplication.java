package ai.moolai.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Lands monitoring reports and recommendations in PostgreSQL, in batches, idempotently. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ReportIngestApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReportIngestApplication.class, args);
    }
}
