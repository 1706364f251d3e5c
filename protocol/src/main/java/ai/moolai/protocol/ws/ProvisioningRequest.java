package ai.moolai.protocol.ws;

/** The orchestrator asks for its {@link Provisioning} again. */
public record ProvisioningRequest() implements InboundFrame {
}
