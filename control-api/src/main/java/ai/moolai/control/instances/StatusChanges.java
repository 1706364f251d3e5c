package ai.moolai.control.instances;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;

/**
 * Who changed status lately: the orchestrators of the fleet with a liveness transition within the
 * window, and whether so many changed at once that the dashboard warns of a mass change (an edge
 * lost, a network split, a bad release) rather than leaving it to be read from the counts.
 *
 * @param withinSeconds   the window: the last so many seconds
 * @param orchestrators   how many orchestrators of the fleet changed status within it
 * @param byStatus        those orchestrators by the status their latest change moved them to, every status present
 * @param share           their share of the fleet, from 0 to 1
 * @param massChangeShare the share to exceed for a mass change ({@code MASS_CHANGE_SHARE})
 * @param massChange      whether {@code share} exceeds it
 */
record StatusChanges(long withinSeconds, long orchestrators, Map<String, Long> byStatus, double share,
                     double massChangeShare, boolean massChange) {

    /**
     * @param window          how far back changes count
     * @param byStatus        the orchestrators that changed within it, by the status they moved to
     * @param fleet           the whole fleet by status
     * @param massChangeShare the share to exceed for a mass change
     */
    static StatusChanges of(Duration window, Map<String, Long> byStatus, Map<String, Long> fleet, double massChangeShare) {
        long changed = sum(byStatus);
        long fleetSize = sum(fleet);
        double share = fleetSize == 0 ? 0 : (double) changed / fleetSize;
        return new StatusChanges(window.toSeconds(), changed, Collections.unmodifiableMap(byStatus), share,
                massChangeShare, share > massChangeShare);
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
