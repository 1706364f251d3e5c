package ai.moolai.protocol.ws;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A frame an orchestrator sends to the controller; {@code type} names it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Handshake.class, name = "handshake"),
        @JsonSubTypes.Type(value = IAmAlive.class, name = "i_am_alive"),
        @JsonSubTypes.Type(value = Keepalive.class, name = "keepalive"),
        @JsonSubTypes.Type(value = MonitoringReport.class, name = "monitoring_report"),
        @JsonSubTypes.Type(value = Recommendation.class, name = "recommendation"),
        @JsonSubTypes.Type(value = IndependenceAck.class, name = "independence_ack"),
        @JsonSubTypes.Type(value = ProvisioningRequest.class, name = "provisioning_request"),
        @JsonSubTypes.Type(value = ConfigSnapshot.class, name = "o_config_snapshot")})
public sealed interface InboundFrame
        permits Handshake, IAmAlive, Keepalive, MonitoringReport, Recommendation, IndependenceAck, ProvisioningRequest,
        ConfigSnapshot {
}
