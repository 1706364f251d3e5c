package ai.moolai.protocol.ws;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A frame the controller sends to an orchestrator; {@code type} names it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = HandshakeAck.class, name = "handshake_ack"),
        @JsonSubTypes.Type(value = Provisioning.class, name = "provisioning"),
        @JsonSubTypes.Type(value = ControllerHeartbeat.class, name = "controller_heartbeat"),
        @JsonSubTypes.Type(value = IndependenceUpdate.class, name = "independence_update"),
        @JsonSubTypes.Type(value = ReportAck.class, name = "report_ack"),
        @JsonSubTypes.Type(value = ErrorFrame.class, name = "error")})
public sealed interface OutboundFrame
        permits HandshakeAck, Provisioning, ControllerHeartbeat, IndependenceUpdate, ReportAck, ErrorFrame {
}
