package ai.moolai.service.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The metrics every service exports alike, so that they add up across replicas: each timer as
 * histogram buckets (never percentiles worked out by one instance, which no query can combine), and
 * {@code build_info}, which says what runs where.
 */
@AutoConfiguration
public class ServiceMetricsAutoConfiguration {

    /** The buckets every timer counts into, from a millisecond to the longest wait a caller accepts. */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    @Bean
    MeterFilter latencyHistograms() {
        double[] buckets = Arrays.stream(LATENCY_BUCKETS).mapToDouble(Duration::toNanos).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER) {
                    return config;
                }
                return DistributionStatisticConfig.builder().percentiles().percentilesHistogram(false)
                        .serviceLevelObjectives(buckets).build().merge(config);
            }
        };
    }

    /** {@code build_info{service, version, built} 1}: which build each instance runs. */
    @Bean
    MeterBinder buildInfo(ObjectProvider<BuildProperties> build, Environment environment) {
        BuildProperties properties = build.getIfAvailable();
        return meters -> Gauge.builder("build.info", () -> 1)
                .description("the build this instance runs")
                .tag("service", environment.getProperty("spring.application.name", "unknown"))
                .tag("version", properties == null ? "unknown" : Objects.requireNonNullElse(properties.getVersion(), "unknown"))
                .tag("built", properties == null || properties.getTime() == null ? "unknown" : properties.getTime().toString())
                .tag("java", System.getProperty("java.version"))
                .register(meters);
    }
}
