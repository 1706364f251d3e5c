package ai.moolai.edge.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the edge behaves, under {@code edge.*}; PROTOCOL.md's limits are the defaults.
 *
 * @param id                    this edge's id in session events; a host-derived one when blank
 * @param heartbeatTtl          told to orchestrators in {@code handshake_ack} ({@code HEARTBEAT_TTL_SEC})
 * @param controllerHeartbeat   how often the edge sends {@code controller_heartbeat} ({@code CONTROLLER_HEARTBEAT_SEC})
 * @param handshakeTimeout      how long a new connection may take to send its handshake
 * @param maxFrameBytes         the largest text frame accepted (larger: close 1009)
 * @param maxMessagesPerSecond  sustained messages per second per session (bursts of twice that pass)
 * @param rateLimitStrikes      messages refused for rate in one second before the session is closed with 4429
 * @param legacyTokenless       admit the seed's tokenless handshake for registered orchestrators
 * @param independentCloseGrace how long an independent orchestrator may stay connected after its update
 * @param publishQueue          reports and heartbeats waiting for the producer, at most
 * @param sendTimeLimit         the longest a slow orchestrator may hold up a send to it before its session is closed
 */
@ConfigurationProperties("edge")
public record EdgeProperties(
        String id,
        @DefaultValue("30s") Duration heartbeatTtl,
        @DefaultValue("20s") Duration controllerHeartbeat,
        @DefaultValue("15s") Duration handshakeTimeout,
        @DefaultValue("65536") int maxFrameBytes,
        @DefaultValue("20") int maxMessagesPerSecond,
        @DefaultValue("20") int rateLimitStrikes,
        @DefaultValue("false") boolean legacyTokenless,
        @DefaultValue("10s") Duration independentCloseGrace,
        @DefaultValue("50000") int publishQueue,
        @DefaultValue("10s") Duration sendTimeLimit) {

    public EdgeProperties {
        if (id == null || id.isBlank()) {
            id = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "edge";
        }
    }
}
