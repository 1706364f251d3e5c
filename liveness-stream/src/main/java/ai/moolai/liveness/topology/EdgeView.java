package ai.moolai.liveness.topology;

import java.time.Instant;

import ai.moolai.protocol.kafka.EdgeBeacon;
import ai.moolai.protocol.kafka.LivenessReason;

/**
 * What a liveness task last heard from one edge through its beacons. Whether the edge is heard
 * <em>now</em> is judged on this task's clock (the edge's may be off, and what matters is whether we
 * hear it); whether the edge itself had a gap, on the edge's clock, from one beacon to the next, so
 * that this task's own restart is not taken for the edge's silence.
 *
 * @param heardAt      when its latest beacon was processed, on this task's clock (epoch millis)
 * @param beaconAt     that beacon's time, on the edge's clock (epoch millis)
 * @param publishing   whether that beacon said what the edge receives reaches Kafka
 * @param stopping     whether that beacon was its last, at a graceful shutdown
 * @param servingSince since when, on the edge's clock, it has beaconed, publishing, with no gap
 *                     longer than the lost-after limit (epoch millis)
 */
record EdgeView(long heardAt, long beaconAt, boolean publishing, boolean stopping, long servingSince) {

    /** The view after a beacon processed at {@code now}. */
    static EdgeView heard(EdgeView previous, EdgeBeacon beacon, long now, long lostAfterMillis) {
        long at = beacon.at() != null ? beacon.at().toEpochMilli() : now;
        boolean serving = beacon.publishing() && !beacon.stopping();
        boolean continuous = previous != null && previous.publishing && !previous.stopping
                && at - previous.beaconAt <= lostAfterMillis;
        return new EdgeView(now, Math.max(at, previous == null ? at : previous.beaconAt), beacon.publishing(),
                beacon.stopping(), serving && continuous ? previous.servingSince : at);
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
}
