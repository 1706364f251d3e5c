package ai.moolai.protocol.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Records written before a setting existed read as that setting's safe default. */
class DesiredStateTest {

    @Test
    void readsARecordWithoutTokenlessAllowedAsNotAllowed() {
        String written = """
                {"schemaVersion":1,"orchestratorId":"orch-001","organizationId":"acme","independent":false,
                 "privacyMode":false,"version":3,"updatedAt":"2026-11-27T09:59:00Z"}""";

        DesiredState read = Topics.DESIRED_STATE.valueSerde().deserializer()
                .deserialize(Topics.DESIRED_STATE.name(), written.getBytes(StandardCharsets.UTF_8));

        assertThat(read.tokenlessAllowed()).isFalse();
    }
}
