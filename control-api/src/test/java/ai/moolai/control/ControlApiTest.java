package ai.moolai.control;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * control-api on a random port, on the run's PostgreSQL database and embedded broker (see
 * {@link TestInfrastructure}). The context closes after each class, while the broker still runs.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = {ControlApiApplication.class,
        TestInfrastructure.class})
@ActiveProfiles("test")
@DirtiesContext
public @interface ControlApiTest {
}
