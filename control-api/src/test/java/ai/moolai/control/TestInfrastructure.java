package ai.moolai.control;

import ai.moolai.testsupport.TestDatabase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/** Points the application at the run's real PostgreSQL database. */
@TestConfiguration(proxyBeanMethods = false)
public class TestInfrastructure {

    @Bean
    DynamicPropertyRegistrar database() {
        return TestDatabase.perRun()::register;
    }
}
