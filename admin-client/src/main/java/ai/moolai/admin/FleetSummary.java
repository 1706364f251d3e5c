package ai.moolai.admin;

import java.util.Map;

/**
 * The fleet's counts.
 *
 * @param counts how many orchestrators are in each status
 */
public record FleetSummary(Map<String, Long> counts) {
}
