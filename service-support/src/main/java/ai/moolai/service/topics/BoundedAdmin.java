package ai.moolai.service.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * An admin client on the service's Kafka settings whose calls and requests give up after a
 * timeout: for lookups made again and again (made once and kept, since each client logs its whole
 * configuration).
 */
public final class BoundedAdmin {

    private BoundedAdmin() {
    }

    public static Admin create(KafkaAdmin kafka, Duration timeout) {
        Map<String, Object> config = new HashMap<>(kafka.getConfigurationProperties());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(config);
    }
}
