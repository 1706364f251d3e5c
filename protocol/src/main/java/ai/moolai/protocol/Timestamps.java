package ai.moolai.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reading the timestamps orchestrators send, which may or may not carry an offset. */
public final class Timestamps {

    private Timestamps() {
    }

    /**
     * Parses an ISO-8601 timestamp with an offset ({@code ...+00:00}, {@code ...Z}) or without
     * one (taken as UTC, as Python's naive {@code isoformat()} produces). Anything else is empty:
     * a client's clock is evidence, never a reason to refuse a frame.
     */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException withoutOffset) {
            try {
                return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }
}
