package ai.moolai.admin;

import java.util.List;
import java.util.Map;

/**
 * The fleet at a glance.
 *
 * @param counts        how many orchestrators are in each status
 * @param orchestrators the ACTIVE ones
 */
public record Live(Map<String, Long> counts, List<Instance> orchestrators) {
}
