package ai.moolai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** The bounds of what PostgreSQL stores, at their edges. */
class StorableTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void takesNumbersUpToWhatNumericHoldsAndNoFurther() {
        assertThat(Storable.problem("n", NODES.numberNode(new BigDecimal("1e131071")))).isEmpty();
        assertThat(Storable.problem("n", NODES.numberNode(new BigDecimal("1e131072")))).isPresent();
        assertThat(Storable.problem("n", NODES.numberNode(new BigDecimal("1e-16383")))).isEmpty();
        assertThat(Storable.problem("n", NODES.numberNode(new BigDecimal("1e-16384")))).isPresent();
        assertThat(Storable.problem("n", NODES.numberNode(Double.MAX_VALUE))).isEmpty();
        assertThat(Storable.problem("n", NODES.numberNode(Double.NaN))).isPresent();
    }

    @Test
    void takesInstantsOfTheYears1To9999() {
        assertThat(Storable.problem("t", Storable.EARLIEST)).isEmpty();
        assertThat(Storable.problem("t", Storable.LATEST)).isEmpty();
        assertThat(Storable.problem("t", Storable.EARLIEST.minusNanos(1))).isPresent();
        assertThat(Storable.problem("t", Storable.LATEST.plusNanos(1000))).isPresent();
        assertThat(Storable.problem("t", (Instant) null)).isEmpty();
    }

    @Test
    void takesEveryPlaneButNotNulNorAHalfSurrogate() {
        assertThat(Storable.problem("s", "\uD83D\uDE00 \u00e9 \uFFFF \u0001")).isEmpty();
        assertThat(Storable.problem("s", "\uDE00\uD83D")).hasValue("s: text may not contain an unpaired UTF-16 surrogate");
        assertThat(Storable.problem("s", "tail\uD83D")).isPresent();
        assertThat(Storable.problem("s", "\u0000")).hasValue("s: text may not contain U+0000");
    }
}
