package ai.moolai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void readsOffsetsZuluAndNaiveTimestamps() {
        assertThat(Timestamps.parse("2026-11-27T12:00:00.000+02:00")).contains(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(Timestamps.parse("2026-11-27T10:00:00Z")).contains(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(Timestamps.parse("2026-11-27T10:00:00.123456")).contains(Instant.parse("2026-11-27T10:00:00.123456Z"));
    }

    @Test
    void unreadableTimestampsAreEmptyNotErrors() {
        assertThat(Timestamps.parse("yesterday")).isEmpty();
        assertThat(Timestamps.parse("")).isEmpty();
        assertThat(Timestamps.parse(null)).isEmpty();
    }
}
