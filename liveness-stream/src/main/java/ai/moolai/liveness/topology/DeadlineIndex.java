package ai.moolai.liveness.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Orchestrators ordered by when something is due for them, per kind: finding what is due by a time
 * costs what it finds, not the size of the fleet. It lives in memory, one per task, because it can
 * be derived: each orchestrator's state records its armed deadline and its open window, so the
 * processor rebuilds the index from the state store instead of persisting and changelogging it
 * (a persistent store would also leave a deleted key behind for every entry taken).
 */
final class DeadlineIndex {

    /** One entry: at {@code at}, something is due for {@code orchestratorId}. */
    record Due(long at, String orchestratorId) implements Comparable<Due> {

        @Override
        public int compareTo(Due other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : orchestratorId.compareTo(other.orchestratorId);
        }
    }

    private final Map<String, NavigableSet<Due>> byKind = new HashMap<>();

    void schedule(String kind, long at, String orchestratorId) {
        byKind.computeIfAbsent(kind, k -> new TreeSet<>()).add(new Due(at, orchestratorId));
    }

    /** Removes and returns the entries of this kind due at or before {@code now}, oldest first. */
    List<Due> takeDue(String kind, long now) {
        NavigableSet<Due> entries = byKind.get(kind);
        if (entries == null || entries.isEmpty() || entries.first().at() > now) {
            return List.of();
        }
        NavigableSet<Due> due = entries.headSet(new Due(now, "\uffff"), true);
        List<Due> taken = new ArrayList<>(due);
        due.clear();
        return taken;
    }

    int size(String kind) {
        NavigableSet<Due> entries = byKind.get(kind);
        return entries == null ? 0 : entries.size();
    }
}
