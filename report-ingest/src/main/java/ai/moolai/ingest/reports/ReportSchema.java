package ai.moolai.ingest.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

import ai.moolai.protocol.kafka.Topics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.springframework.stereotype.Component;

/** The contract's JSON Schema of {@code orchestrator.reports.v1}, from the protocol module, applied to raw records. */
@Component
class ReportSchema {

    private final ObjectMapper json = new ObjectMapper();
    private final JsonSchema schema;

    ReportSchema() {
        String path = "/schemas/kafka/" + Topics.REPORTS.name() + ".json";
        try (InputStream in = ReportSchema.class.getResourceAsStream(path)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(json.readTree(in), SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** What is wrong with this record's value; empty when it is valid. */
    String violations(byte[] value) {
        if (value == null) {
            return "a record without a value";
        }
        try {
            Set<ValidationMessage> errors = schema.validate(json.readTree(value));
            return errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
        } catch (JsonProcessingException notJson) {
            return "not JSON: " + notJson.getOriginalMessage();
        } catch (IOException unreadable) {
            return "not JSON: " + unreadable.getMessage();
        }
    }
}
