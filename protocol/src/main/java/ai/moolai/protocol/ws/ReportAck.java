package ai.moolai.protocol.ws;

import java.util.UUID;

/**
 * The report with this id is durable; the orchestrator may forget it.
 *
 * @param messageId the report's idempotency key
 */
public record ReportAck(UUID messageId) implements OutboundFrame {
}
