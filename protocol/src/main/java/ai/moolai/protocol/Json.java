package ai.moolai.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two JSON dialects of the system, configured once.
 *
 * <p>WebSocket frames are snake_case (the seed orchestrator's shape); Kafka values are camelCase
 * (the analytics contract). Both ignore unknown fields, write instants as ISO-8601 text, and
 * refuse nesting deeper than {@link #MAX_DEPTH}.
 */
public final class Json {

    /** The deepest JSON nesting any input may have. */
    public static final int MAX_DEPTH = 32;

    private static final JsonMapper FRAMES = builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private static final JsonMapper EVENTS = builder().build();

    private Json() {
    }

    /** The mapper for WebSocket frames (snake_case). */
    public static JsonMapper frames() {
        return FRAMES;
    }

    /** The mapper for Kafka topic values and other internal JSON (camelCase). */
    public static JsonMapper events() {
        return EVENTS;
    }

    private static JsonMapper.Builder builder() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .build();
        return JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL));
    }
}
