package ai.moolai.edge.publish;

import java.util.ArrayDeque;

/**
 * The records on their way through one stage of publishing (the queue, or one partition), oldest
 * first, and whether the latest to leave it failed: the stage flows while nothing has waited in it
 * too long and nothing has failed since the last success. Records leave a partition in the order
 * they entered it, so the oldest is at the head.
 */
final class RecordFlow {

    private final ArrayDeque<Long> waiting = new ArrayDeque<>();
    private boolean failed;

    /** A record entered the stage at {@code at} (nanos). */
    synchronized void entered(long at) {
        waiting.addLast(at);
    }

    /** The record that entered at {@code enteredAt} left it, acknowledged or failed. */
    synchronized void left(long enteredAt, boolean acknowledged) {
        waiting.removeFirstOccurrence(enteredAt);
        failed = !acknowledged;
    }

    /** Whether, at {@code now}, nothing failed since the last success and nothing has waited {@code stuckAfter} (nanos). */
    synchronized boolean flowing(long now, long stuckAfter) {
        Long oldest = waiting.peekFirst();
        return !failed && (oldest == null || now - oldest < stuckAfter);
    }
}
