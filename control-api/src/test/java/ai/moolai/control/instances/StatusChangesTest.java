package ai.moolai.control.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A mass change is more than the configured share of the fleet, never the share itself. */
class StatusChangesTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void isAMassChangeOnlyAboveTheShare() {
        Map<String, Long> fleet = counts(70, 30, 0);

        StatusChanges atTheShare = StatusChanges.of(MINUTE, counts(0, 10, 0), fleet, 0.1);
        StatusChanges above = StatusChanges.of(MINUTE, counts(0, 10, 1), fleet, 0.1);

        assertThat(atTheShare.orchestrators()).isEqualTo(10);
        assertThat(atTheShare.share()).isEqualTo(0.1);
        assertThat(atTheShare.massChange()).isFalse();
        assertThat(above.orchestrators()).isEqualTo(11);
        assertThat(above.share()).isEqualTo(0.11);
        assertThat(above.massChange()).isTrue();
        assertThat(above.withinSeconds()).isEqualTo(60);
    }

    @Test
    void anEmptyFleetHasNoMassChange() {
        StatusChanges none = StatusChanges.of(MINUTE, counts(0, 0, 0), counts(0, 0, 0), 0);

        assertThat(none.share()).isZero();
        assertThat(none.massChange()).isFalse();
    }

    @Test
    void refusesAShareOutsideZeroToOne() {
        assertThat(new DashboardProperties(0).massChangeShare()).isZero();
        assertThat(new DashboardProperties(1).massChangeShare()).isEqualTo(1);
        assertThatThrownBy(() -> new DashboardProperties(1.5)).hasMessageContaining("mass-change-share");
        assertThatThrownBy(() -> new DashboardProperties(-0.1)).hasMessageContaining("mass-change-share");
        assertThatThrownBy(() -> new DashboardProperties(Double.NaN)).hasMessageContaining("mass-change-share");
    }

    private static Map<String, Long> counts(long active, long inactive, long unknown) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("ACTIVE", active);
        counts.put("INACTIVE", inactive);
        counts.put("UNKNOWN", unknown);
        return counts;
    }
}
