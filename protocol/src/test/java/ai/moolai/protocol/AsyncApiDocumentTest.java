package ai.moolai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ai.moolai.protocol.kafka.Topic;
import ai.moolai.protocol.kafka.Topics;
import ai.moolai.protocol.ws.InboundFrame;
import ai.moolai.protocol.ws.OutboundFrame;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The AsyncAPI document parses, every reference in it resolves, and it describes what the code defines. */
class AsyncApiDocumentTest {

    private static JsonNode document;

    @BeforeAll
    static void parse() throws Exception {
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/asyncapi.yaml")) {
            document = new YAMLMapper().readTree(in);
        }
    }

    @Test
    void isAnAsyncApi3Document() {
        assertThat(document.path("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(document.path("info").path("title").asString()).isNotBlank();
        assertThat(document.path("channels").size()).isEqualTo(Topics.ALL.size() + 1);
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).hasSizeGreaterThan(50);

        for (String ref : refs) {
            if (ref.startsWith("#")) {
                assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
            } else {
                assertThat(getClass().getResource("/" + ref)).as(ref).isNotNull();
            }
        }
    }

    @Test
    void describesEveryTopicWithItsCleanupAndRetention() {
        for (Topic<?> topic : Topics.ALL) {
            JsonNode channel = channelAt(topic.name());
            JsonNode config = channel.path("bindings").path("kafka").path("topicConfiguration");
            Map<String, String> expected = topic.config();

            assertThat(config.path("cleanup.policy").get(0).asString())
                    .as(topic.name()).isEqualTo(expected.get(TopicConfig.CLEANUP_POLICY_CONFIG));
            if (expected.containsKey(TopicConfig.RETENTION_MS_CONFIG)) {
                assertThat(config.path("retention.ms").asLong())
                        .as(topic.name()).isEqualTo(Long.parseLong(expected.get(TopicConfig.RETENTION_MS_CONFIG)));
            }
            String messageRef = channel.path("messages").iterator().next().path("$ref").asString();
            JsonNode message = document.at(messageRef.substring(1));
            assertThat(message.path("payload").path("$ref").asString())
                    .isEqualTo("schemas/kafka/" + topic.name() + ".json");
            assertThat(message.path("bindings").path("kafka").path("key").path("type").asString()).isEqualTo("string");
        }
    }

    @Test
    void describesEveryFrameOnTheWebSocketChannel() {
        JsonNode messages = channelAt("/ws").path("messages");
        List<String> frames = Stream.of(InboundFrame.class, OutboundFrame.class)
                .flatMap(direction -> Stream.of(direction.getAnnotation(JsonSubTypes.class).value()))
                .map(JsonSubTypes.Type::name)
                .toList();
        frames.forEach(type -> assertThat(messages.has(type)).as(type).isTrue());
        assertThat(messages.propertyNames()).containsExactlyInAnyOrderElementsOf(frames);
    }

    private static JsonNode channelAt(String address) {
        return document.path("channels").valueStream()
                .filter(channel -> channel.path("address").asString().equals(address))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no channel at " + address));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asString());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
