package ai.moolai.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * A Spring Boot test whose every trace is kept and whose spans are caught in memory: autowire the
 * {@link InMemorySpanExporter}, and await the spans (they are exported every 50 ms).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AutoConfigureTracing
@Import(Traced.Spans.class)
@TestPropertySource(properties = {"management.tracing.sampling.probability=1.0",
        "management.opentelemetry.tracing.export.schedule-delay=50ms"})
public @interface Traced {

    /** The exporter the spans go to. */
    @TestConfiguration(proxyBeanMethods = false)
    class Spans {
        @Bean
        InMemorySpanExporter spans() {
            return InMemorySpanExporter.create();
        }
    }
}
