package ai.moolai.protocol;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * What PostgreSQL's {@code text}, {@code jsonb} and {@code timestamptz} columns can hold, checked
 * before anything is accepted: a frame at the edge, a record at ingest, a request at control-api.
 * Text may not contain U+0000 nor an unpaired UTF-16 surrogate; a number must be finite and fit
 * {@code numeric} (at most 131,072 digits before the point and 16,383 after); an instant must lie
 * in the years 0001 to 9999.
 */
public final class Storable {

    /** The earliest instant stored. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest instant stored. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private static final int MAX_INTEGER_DIGITS = 131_072;
    private static final int MAX_FRACTION_DIGITS = 16_383;

    private Storable() {
    }

    /** Why this JSON value cannot be stored, naming the offending place under {@code field}; empty when it can. */
    public static Optional<String> problem(String field, JsonNode node) {
        if (node == null || node.isNull() || node.isBoolean()) {
            return Optional.empty();
        }
        if (node.isString()) {
            return problem(field, node.asString());
        }
        if (node.isNumber()) {
            return numberProblem(field, node);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> problem = problem(field + "[" + i + "]", node.get(i));
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            Optional<String> problem = problem(field + " key", member.getKey())
                    .or(() -> problem(field + "." + member.getKey(), member.getValue()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** Why this text cannot be stored; empty when it can ({@code null} can). */
    public static Optional<String> problem(String field, String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of(field + ": text may not contain U+0000");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(field + ": text may not contain an unpaired UTF-16 surrogate");
            }
        }
        return Optional.empty();
    }

    /** Why this instant cannot be stored; empty when it can ({@code null} can). */
    public static Optional<String> problem(String field, Instant instant) {
        if (instant != null && (instant.isBefore(EARLIEST) || instant.isAfter(LATEST))) {
            return Optional.of(field + ": a time outside the years 0001 to 9999");
        }
        return Optional.empty();
    }

    /** Throws {@link IllegalArgumentException} with the problem, if this value has one. */
    public static void require(String field, JsonNode node) {
        problem(field, node).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /** Throws {@link IllegalArgumentException} with the problem, if this text has one. */
    public static void require(String field, String text) {
        problem(field, text).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    private static Optional<String> numberProblem(String field, JsonNode number) {
        if ((number.isDouble() || number.isFloat()) && !Double.isFinite(number.asDouble())) {
            return Optional.of(field + ": a number too large to store");
        }
        if (number.isBigDecimal() || number.isBigInteger()) {
            BigDecimal value = number.decimalValue();
            if (value.precision() - value.scale() > MAX_INTEGER_DIGITS || value.scale() > MAX_FRACTION_DIGITS) {
                return Optional.of(field + ": a number beyond what can be stored");
            }
        }
        return Optional.empty();
    }
}
