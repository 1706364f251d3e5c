package ai.moolai.protocol.kafka;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A value on one of our topics; every value states the schema version it follows. */
public interface TopicValue {

    /** The schema version every value written by this code follows. */
    int SCHEMA_VERSION = 1;

    /** The schema version of this value, written into its JSON. */
    @JsonProperty("schemaVersion")
    default int schemaVersion() {
        return SCHEMA_VERSION;
    }
}
