package ai.moolai.service.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link Traces} on the tracer Boot configures: OpenTelemetry's, exporting over OTLP once
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} is set, and to nowhere until then
 * (a span still gives its trace id to the log lines written while it is current); Micrometer's
 * no-op tracer where tracing is switched off.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration"})
public class TracingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Traces traces(Tracer tracer, Propagator propagator) {
        return new Traces(tracer, propagator);
    }
}
