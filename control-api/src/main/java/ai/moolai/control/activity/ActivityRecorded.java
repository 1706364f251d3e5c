package ai.moolai.control.activity;

import ai.moolai.protocol.kafka.ActivityEntry;

/**
 * An action was recorded; listeners act after the commit.
 *
 * @param entry what was recorded
 */
public record ActivityRecorded(ActivityEntry entry) {
}
