package ai.moolai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.FrameCodec;
import ai.moolai.protocol.ws.InboundFrame;
import ai.moolai.protocol.ws.OutboundFrame;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every frame and topic value has a JSON Schema; the schemas, their examples and our records agree. */
class ContractSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    static Stream<String> frameTypes() {
        return Stream.of(InboundFrame.class, OutboundFrame.class)
                .flatMap(direction -> Stream.of(direction.getAnnotation(JsonSubTypes.class).value()))
                .map(JsonSubTypes.Type::name);
    }

    static Stream<String> topicNames() {
        return Topics.ALL.stream().map(Topic::name);
    }

    static JsonNode resource(String path) throws IOException {
        try (InputStream in = ContractSchemasTest.class.getResourceAsStream("/" + path)) {
            assertThat(in).as(path).isNotNull();
            return JSON.readTree(in);
        }
    }

    static JsonSchema schema(String path) throws IOException {
        JsonNode node = resource(path);
        assertThat(node.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        return FACTORY.getSchema(node, CONFIG);
    }

    static Set<ValidationMessage> errors(JsonSchema schema, String json) throws IOException {
        return schema.validate(JSON.readTree(json));
    }

    @ParameterizedTest
    @MethodSource("frameTypes")
    void everyFrameHasASchemaWhoseExamplesValidate(String type) throws IOException {
        String path = "schemas/ws/" + type + ".json";
        JsonSchema schema = schema(path);
        JsonNode examples = resource(path).path("examples");

        assertThat(examples.size()).as("examples of " + type).isPositive();
        for (JsonNode example : examples) {
            assertThat(schema.validate(example)).as(example.toString()).isEmpty();
            assertThat(example.path("type").asText()).isEqualTo(type);
        }
    }

    @ParameterizedTest
    @MethodSource("topicNames")
    void everyTopicHasASchemaWhoseExamplesValidate(String topic) throws IOException {
        String path = "schemas/kafka/" + topic + ".json";
        JsonSchema schema = schema(path);
        JsonNode examples = resource(path).path("examples");

        assertThat(examples.size()).isPositive();
        for (JsonNode example : examples) {
            assertThat(schema.validate(example)).as(example.toString()).isEmpty();
        }
    }

    @Test
    void whatTheControllerSendsMatchesTheFrameSchemas() throws IOException {
        for (OutboundFrame frame : Samples.outboundFrames()) {
            String json = FrameCodec.encode(frame);
            String type = JSON.readTree(json).path("type").asText();
            assertThat(errors(schema("schemas/ws/" + type + ".json"), json)).as(json).isEmpty();
        }
    }

    @Test
    void whatOurProducersWriteMatchesTheTopicSchemas() throws IOException {
        for (Topic<?> topic : Topics.ALL) {
            List<Object> values = Samples.topicValues().get(topic);
            assertThat(values).as(topic.name()).isNotEmpty();
            for (Object value : values) {
                String json = new String(serialize(topic, value));
                assertThat(JSON.readTree(json).path("schemaVersion").asInt()).isEqualTo(1);
                assertThat(errors(schema("schemas/kafka/" + topic.name() + ".json"), json)).as(json).isEmpty();
            }
        }
    }

    @Test
    void theSchemasRejectWhatTheyMust() throws IOException {
        List<String> accepted = new ArrayList<>();
        JsonSchema heartbeat = schema("schemas/kafka/orchestrator.heartbeats.v1.json");
        JsonSchema report = schema("schemas/ws/monitoring_report.json");
        JsonSchema event = schema("schemas/kafka/orchestrator.session-events.v1.json");
        for (var invalid : List.of(
                new Object[] {heartbeat, "{\"schemaVersion\":1,\"orchestratorId\":\"o\",\"sessionId\":\"s\",\"edgeId\":\"e\"}"},
                new Object[] {heartbeat, "{\"schemaVersion\":1,\"orchestratorId\":\"o\",\"sessionId\":\"s\",\"edgeId\":\"e\",\"receivedAt\":\"soon\"}"},
                new Object[] {report, "{\"type\":\"monitoring_report\",\"message_id\":\"not-a-uuid\",\"data\":{}}"},
                new Object[] {report, "{\"type\":\"monitoring_report\",\"message_id\":\"6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f\"}"},
                new Object[] {event, "{\"schemaVersion\":1,\"orchestratorId\":\"o\",\"sessionId\":\"s\",\"edgeId\":\"e\",\"kind\":\"DISCONNECTED\",\"at\":\"2026-11-27T10:00:00Z\"}"})) {
            if (errors((JsonSchema) invalid[0], (String) invalid[1]).isEmpty()) {
                accepted.add((String) invalid[1]);
            }
        }
        assertThat(accepted).as("invalid documents the schemas accepted").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serialize(Topic<V> topic, Object value) {
        return topic.valueSerde().serializer().serialize(topic.name(), (V) value);
    }
}
