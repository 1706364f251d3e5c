package ai.moolai.service.tracing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How a trace crosses what no observation sees: an outbox row, a record a service publishes or
 * reads by hand. It travels as a W3C {@code traceparent} ({@value #TRACEPARENT}): in a record's
 * header of that name, in an outbox row's {@code trace_parent}. Sampled or not, as the trace's
 * first span decided ({@code management.tracing.sampling.probability}).
 */
public class Traces {

    /** The record header, and W3C's name for it. */
    public static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;

    public Traces(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The trace a record carries (its {@value #TRACEPARENT} header); null when it carries none. */
    public static String of(Headers headers) {
        Header header = headers.lastHeader(TRACEPARENT);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Has a record carry a trace (its {@value #TRACEPARENT} header); nothing when there is none. */
    public static void carry(Headers headers, String traceparent) {
        if (traceparent != null) {
            headers.add(TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The current span's {@code traceparent}; null when no span is current. */
    public String current() {
        Span span = tracer.currentSpan();
        return span == null ? null : traceparent(span);
    }

    /** Makes the span current until the scope closes: the lines logged meanwhile name its trace. */
    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }

    /** A span's {@code traceparent}. */
    public String traceparent(Span span) {
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * A span started now, the child of {@code traceparent}; without one (or with one that cannot be
     * read), the child of the current span, or else the first of a new trace.
     */
    public Span start(String name, String traceparent) {
        Span.Builder builder = traceparent == null ? tracer.spanBuilder()
                : propagator.extract(Map.of(TRACEPARENT, traceparent), Map::get);
        return builder.name(name).start();
    }
}
