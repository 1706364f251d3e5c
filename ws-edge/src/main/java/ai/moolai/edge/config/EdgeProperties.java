package ai.moolai.edge.config;

import java.time.Duration;

import ai.moolai.service.InstanceIds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the edge behaves, under {@code edge.*}; PROTOCOL.md's limits are the defaults.
 *
 * @param id                    this edge's id in session events, heartbeats and beacons; when blank, the host's
 *                              name and {@code serverPort}: the same after a restart, so liveness-stream knows
 *                              the edge is back, and different for two edges on one host
 * @param serverPort            the port this edge serves on ({@code server.port}), for its default id
 * @param beaconInterval        how often the edge tells liveness-stream it is there ({@code edge.beacons.v1})
 * @param heartbeatTtl          told to orchestrators in {@code handshake_ack} ({@code HEARTBEAT_TTL_SEC})
 * @param controllerHeartbeat   how often the edge sends {@code controller_heartbeat} ({@code CONTROLLER_HEARTBEAT_SEC})
 * @param handshakeTimeout      how long a socket may go from its upgrade to an accepted handshake (then: close 1008)
 * @param maxFrameBytes         the largest text frame accepted once authenticated (larger: close 1009)
 * @param maxUnauthenticatedFrameBytes the largest text frame accepted until the handshake is accepted (larger:
 *                              close 1009); a handshake is far smaller, and a stranger may hold no more than this
 * @param maxBinaryBytes        the largest binary message answered with an error (larger: close 1009); binary is
 *                              never read, only counted, so a stream of it cannot last
 * @param maxUnauthenticatedSessions sockets upgraded but not yet authenticated, at most; further upgrades get 503
 * @param upgradesPerAddressPerSecond upgrades per remote address per second, sustained (further upgrades: 429)
 * @param upgradeBurstPerAddress upgrades one remote address may make at once: orchestrators behind one NAT all
 *                              reconnect after an edge restarts, and a burst this size gets in at once
 * @param maxMessagesPerSecond  sustained messages per second per session (bursts of twice that pass)
 * @param maxBytesPerMinute     sustained bytes of text per minute per authenticated session (its orchestrator's
 *                              quota); a frame over it is dropped and answered as one over the message rate
 * @param byteBurst             bytes of text a session may send at once before the per-minute rate holds it back;
 *                              at least {@code maxFrameBytes}, or a frame that large could never pass
 * @param rateLimitStrikes      messages refused for rate or bytes in one second before the session is closed with 4429
 * @param independentCloseGrace how long an independent orchestrator may stay connected after its update
 * @param publishQueue          reports and heartbeats waiting for the producer, at most
 * @param sendTimeLimit         the longest a slow orchestrator may hold up a send to it before its session is closed
 * @param waitingRoomSessions   unregistered orchestrators this edge holds while they wait for approval, at most
 *                              (more: close 1013); 0 closes the waiting room, and an unregistered id gets 4401
 * @param waitingRoomPerAddress waiting sessions from one remote address, at most (more: close 1013)
 * @param waitingRoomMaxWait    how long a session may wait for approval (then: close 1001 {@code waiting_timeout})
 * @param waitingRoomSeenInterval how often a waiting session's heartbeats refresh its "last seen" for the admins
 */
@ConfigurationProperties("edge")
public record EdgeProperties(
        String id,
        @DefaultValue("8765") int serverPort,
        @DefaultValue("1s") Duration beaconInterval,
        @DefaultValue("30s") Duration heartbeatTtl,
        @DefaultValue("20s") Duration controllerHeartbeat,
        @DefaultValue("5s") Duration handshakeTimeout,
        @DefaultValue("65536") int maxFrameBytes,
        @DefaultValue("8192") int maxUnauthenticatedFrameBytes,
        @DefaultValue("1024") int maxBinaryBytes,
        @DefaultValue("2000") int maxUnauthenticatedSessions,
        @DefaultValue("20") int upgradesPerAddressPerSecond,
        @DefaultValue("100") int upgradeBurstPerAddress,
        @DefaultValue("20") int maxMessagesPerSecond,
        @DefaultValue("8388608") long maxBytesPerMinute,
        @DefaultValue("262144") long byteBurst,
        @DefaultValue("20") int rateLimitStrikes,
        @DefaultValue("10s") Duration independentCloseGrace,
        @DefaultValue("50000") int publishQueue,
        @DefaultValue("10s") Duration sendTimeLimit,
        @DefaultValue("1000") int waitingRoomSessions,
        @DefaultValue("20") int waitingRoomPerAddress,
        @DefaultValue("1h") Duration waitingRoomMaxWait,
        @DefaultValue("15s") Duration waitingRoomSeenInterval) {

    public EdgeProperties {
        if (byteBurst < maxFrameBytes) {
            throw new IllegalArgumentException("edge.byte-burst (" + byteBurst + ") must be at least edge.max-frame-bytes ("
                    + maxFrameBytes + "): a frame that large could never pass");
        }
        if (id == null || id.isBlank()) {
            id = InstanceIds.hostAndPort(serverPort);
        }
    }
}
