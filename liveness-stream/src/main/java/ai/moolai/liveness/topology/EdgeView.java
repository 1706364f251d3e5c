package ai.moolai.liveness.topology;

import java.time.Instant;

import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.LivenessReason;

/**
 * What a liveness task last heard from one edge through its beacons, on this task's own clock: the
 * edge's clock may be off, and what matters is whether <em>we</em> hear it.
 *
 * @param heardAt      when its latest beacon was processed (epoch millis)
 * @param publishing   whether that beacon said what the edge receives reaches Kafka
 * @param stopping     whether that beacon was its last, at a graceful shutdown
 * @param servingSince since when it has been heard, publishing, without a gap longer than the
 *                     lost-after limit (epoch millis)
 */
record EdgeView(long heardAt, boolean publishing, boolean stopping, long servingSince) {

    /** The view after a beacon processed at {@code now}. */
    static EdgeView heard(EdgeView previous, EdgeBeacon beacon, long now, long lostAfterMillis) {
        boolean serving = beacon.publishing() && !beacon.stopping();
        boolean continuous = previous != null && previous.publishing && !previous.stopping
                && now - previous.heardAt <= lostAfterMillis;
        return new EdgeView(now, beacon.publishing(), beacon.stopping(),
                serving && continuous ? previous.servingSince : now);
    }

    /**
     * Why this edge's orchestrators cannot be judged by their silence at {@code now}: it fell silent
     * itself, or says it cannot publish; {@code null} when it is heard, publishing, or has stopped
     * (a stopped edge closed its sessions: its orchestrators are on their own).
     */
    LivenessReason silence(long now, long lostAfterMillis) {
        if (stopping) {
            return null;
        }
        if (now - heardAt > lostAfterMillis) {
            return LivenessReason.EDGE_LOST;
        }
        return publishing ? null : LivenessReason.EDGE_CANNOT_PUBLISH;
    }

    Instant servingSinceInstant() {
        return Instant.ofEpochMilli(servingSince);
    }
}
