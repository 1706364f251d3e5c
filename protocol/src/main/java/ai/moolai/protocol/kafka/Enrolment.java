package ai.moolai.protocol.kafka;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * An orchestrator nobody registered, held in an edge's waiting room until an admin approves or
 * rejects it: what it said about itself in its handshake, and when the edge last heard it. Nothing
 * else it sends is kept.
 *
 * @param orchestratorId the id it claims
 * @param kind           {@code WAITING} when its session entered the waiting room, {@code SEEN} when a
 *                       heartbeat of that session refreshed it, {@code LEFT} when the session closed;
 *                       {@code ASKED} when it asked over HTTP (the original client's register call),
 *                       not connected by that
 * @param sessionId      its waiting session
 * @param edgeId         the edge holding it
 * @param at             the edge's clock
 * @param client         its version, host and address as it reports them
 * @param name           the name it gives itself
 * @param location       where it says it runs
 * @param features       the features it reports, a JSON object
 * @param remoteAddress  the address its connection came from, as the edge sees it
 * @param keyHash        the hash ({@code sha256:<hex>}) of the key it made to enrol with, which becomes its
 *                       token once approved; {@code null} for a client that sends none (the original
 *                       orchestrator), which an approval lets connect without a token
 * @param enrolmentTokenId the organization's enrolment token it enrolled with, if any
 */
public record Enrolment(String orchestratorId, Kind kind, String sessionId, String edgeId, Instant at,
                        SessionEvent.Client client, String name, String location, JsonNode features,
                        String remoteAddress, String keyHash, String enrolmentTokenId) implements TopicValue {

    public enum Kind { WAITING, SEEN, LEFT, ASKED }
}
