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
 * @param heardAt       when its latest beacon was processed, on this task's clock (epoch millis)
 * @param beaconAt      that beacon's time, on the edge's clock (epoch millis)
 * @param publishing    whether that beacon said what the edge receives reaches Kafka
 * @param stopping      whether that beacon was its last, at a graceful shutdown
 * @param servingSince  since when, on the edge's clock, it has beaconed, publishing, with no gap longer
 *                      than the lost-after limit (epoch millis)
 * @param lastServingAt the time of its latest beacon that said it was publishing (epoch millis)
 * @param unheardFrom   when the gap before {@code servingSince} began: the time of the last beacon
 *                      before it that said it was publishing (epoch millis); {@link Long#MIN_VALUE}
 *                      when none did (the silence before the edge's first beacon was heard by nobody)
 */
record EdgeView(long heardAt, long beaconAt, boolean publishing, boolean stopping, long servingSince,
                long lastServingAt, long unheardFrom) {

    /** The view after a beacon processed at {@code now}. */
    static EdgeView heard(EdgeView previous, EdgeBeacon beacon, long now, long lostAfterMillis) {
        long at = beacon.at() != null ? beacon.at().toEpochMilli() : now;
        boolean serving = beacon.publishing() && !beacon.stopping();
        long beaconAt = previous == null ? at : Math.max(at, previous.beaconAt);
        if (previous == null) {
            // Whatever came before its first beacon, nobody here heard.
            return new EdgeView(now, beaconAt, beacon.publishing(), beacon.stopping(), at, serving ? at : Long.MIN_VALUE,
                    Long.MIN_VALUE);
        }
        boolean continuous = previous.publishing && !previous.stopping && at - previous.beaconAt <= lostAfterMillis;
        long servingSince = serving && continuous ? previous.servingSince : at;
        long unheardFrom = serving && continuous ? previous.unheardFrom : Math.min(previous.lastServingAt, at);
        return new EdgeView(now, beaconAt, beacon.publishing(), beacon.stopping(), servingSince,
                serving ? Math.max(at, previous.lastServingAt) : previous.lastServingAt, unheardFrom);
    }

    /**
     * When an orchestrator silent since {@code lastSeen} (epoch millis) has been silent for the TTL
     * as far as this edge could hear: a TTL later when the edge was heard all along; otherwise the
     * silence the edge could not hear does not count, and what is left of the TTL runs from the
     * edge's return.
     */
    long silentForTheTtlAt(long lastSeen, long ttlMillis) {
        if (stopping || servingSince <= lastSeen) {
            return lastSeen + ttlMillis;
        }
        long heardSilence = unheardFrom <= lastSeen ? 0 : Math.min(unheardFrom, servingSince) - lastSeen;
        return servingSince + ttlMillis - heardSilence;
    }

    /**
     * Until when (epoch millis, on the edge's clock) this edge has vouched, as of {@code now}, for the
     * silence of its orchestrators: up to its latest beacon saying it publishes, for the task reads its
     * inputs in time order, so every heartbeat sent to this partition before that beacon has been read.
     * Once it has stopped, no beacon is to come and the wall clock judges alone.
     */
    long vouchedUntil(long now) {
        return stopping ? now : Math.min(now, lastServingAt);
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
