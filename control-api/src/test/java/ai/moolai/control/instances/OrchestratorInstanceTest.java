package ai.moolai.control.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Role;
import ai.moolai.protocol.Json;
import ai.moolai.protocol.kafka.DesiredState;
import org.junit.jupiter.api.Test;

/** The aggregate's own rules, without a database. */
class OrchestratorInstanceTest {

    private static final Actor ADMIN = new Actor("token:test", Role.ADMIN);

    private final OrchestratorInstance instance = OrchestratorInstance.register("edge-1", "acme", "Acme", "eu-1",
            Json.events().createObjectNode(), "sha256:" + "a".repeat(64), ADMIN);

    @Test
    void everyChangeIsTheNextVersionOfTheDesiredState() {
        assertThat(instance.desiredState().version()).isEqualTo(1);

        instance.change(null, "us-1", null, ADMIN);
        assertThat(instance.desiredState()).extracting(DesiredState::version, DesiredState::name, DesiredState::location)
                .containsExactly(2L, "Acme", "us-1");

        instance.setIndependence(true, true, ADMIN);
        instance.setIndependence(false, null, ADMIN);
        DesiredState state = instance.desiredState();
        assertThat(state.version()).isEqualTo(4);
        assertThat(state.independent()).isFalse();
        assertThat(state.privacyMode()).as("unchanged when not given").isTrue();
        assertThat(state.updatedAt()).isNotNull();
    }

    @Test
    void allowsTokenlessSessionsBesideATokenOnlyWhenConfirmedAndARotationWithdrawsThem() {
        assertThatThrownBy(() -> instance.allowTokenless(true, false, ADMIN))
                .isInstanceOf(TokenlessNeedsConfirmation.class);
        assertThat(instance.desiredState().version()).as("a refused change is no version").isEqualTo(1);

        instance.allowTokenless(true, true, ADMIN);
        assertThat(instance.desiredState().tokenlessAllowed()).isTrue();

        String newHash = "sha256:" + "b".repeat(64);
        instance.rotateCredential(newHash, ADMIN);
        assertThat(instance.desiredState()).extracting(DesiredState::credentialHash, DesiredState::tokenlessAllowed,
                DesiredState::version).containsExactly(newHash, false, 3L);
    }
}
