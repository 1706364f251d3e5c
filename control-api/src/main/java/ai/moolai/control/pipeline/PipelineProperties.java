package ai.moolai.control.pipeline;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the pipeline health page gathers and when it calls the pipeline degraded, under
 * {@code controller.pipeline.*}.
 *
 * @param services       the other services' instances, as {@code name=managementUrl} separated by commas
 *                       ({@code PIPELINE_SERVICES}, e.g. {@code ws-edge=http://10.0.0.5:9081,report-ingest=http://10.0.0.6:9082});
 *                       each is asked for its readiness
 * @param lagAgeLimit    how old the oldest record a consumer group has yet to process may be
 * @param outboxAgeLimit how old the oldest change the outbox has yet to publish may be
 */
@ConfigurationProperties("controller.pipeline")
record PipelineProperties(@DefaultValue("") String services, @DefaultValue("30s") Duration lagAgeLimit,
                          @DefaultValue("10s") Duration outboxAgeLimit) {

    /** One instance of a service to ask. */
    record Instance(String service, URI management) {
    }

    PipelineProperties {
        instances(services);
    }

    List<Instance> instances() {
        return instances(services);
    }

    private static List<Instance> instances(String services) {
        List<Instance> instances = new ArrayList<>();
        for (String entry : services.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("controller.pipeline.services: '" + entry.trim()
                        + "' is not name=managementUrl");
            }
            URI management = URI.create(entry.substring(equals + 1).trim());
            if (management.getUserInfo() != null) {
                throw new IllegalArgumentException("controller.pipeline.services: a management URL carries no credentials");
            }
            if (!"http".equals(management.getScheme()) && !"https".equals(management.getScheme())) {
                throw new IllegalArgumentException("controller.pipeline.services: " + management + " is not an http(s) URL");
            }
            instances.add(new Instance(entry.substring(0, equals).trim(), management));
        }
        return List.copyOf(instances);
    }
}
