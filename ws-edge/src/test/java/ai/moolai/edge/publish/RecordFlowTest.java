package ai.moolai.edge.publish;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A stage flows while nothing in it waits too long and nothing failed since the last success. */
class RecordFlowTest {

    static final long STUCK = 3_000;

    @Test
    void flowsWhileItsOldestRecordIsYoungerThanTheLimit() {
        RecordFlow flow = new RecordFlow();
        assertThat(flow.flowing(0, STUCK)).as("nothing on its way").isTrue();

        flow.entered(1_000);
        flow.entered(3_500);
        assertThat(flow.flowing(3_900, STUCK)).isTrue();
        assertThat(flow.flowing(4_000, STUCK)).as("the first has waited 3 s").isFalse();

        flow.left(1_000, true);
        assertThat(flow.flowing(4_000, STUCK)).as("the oldest now entered at 3.5 s").isTrue();
        assertThat(flow.flowing(6_500, STUCK)).isFalse();
        flow.left(3_500, true);
        assertThat(flow.flowing(60_000, STUCK)).as("nothing waits").isTrue();
    }

    @Test
    void aFailureStopsTheFlowUntilTheNextSuccess() {
        RecordFlow flow = new RecordFlow();
        flow.entered(1_000);
        flow.entered(1_001);
        flow.left(1_000, false);
        assertThat(flow.flowing(1_100, STUCK)).isFalse();
        assertThat(flow.flowing(60_000, STUCK)).as("still nothing acknowledged since").isFalse();

        flow.left(1_001, true);
        assertThat(flow.flowing(60_000, STUCK)).isTrue();
    }
}
