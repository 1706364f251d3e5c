package ai.moolai.liveness.topology;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Orchestrators ordered by when something is due for them, in a key-ordered store: keys are
 * {@code <kind>|<zero-padded epoch millis>|<orchestrator id>}, so finding what is due by a time is
 * a range scan that costs what it finds, not the size of the fleet.
 */
final class DeadlineIndex {

    /** One due entry. */
    record Due(String key, long at, String orchestratorId) {
    }

    private final KeyValueStore<String, String> store;

    DeadlineIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    void schedule(String kind, long at, String orchestratorId) {
        store.put(key(kind, at, orchestratorId), orchestratorId);
    }

    /** Removes and returns the entries of this kind due at or before {@code now}. */
    List<Due> takeDue(String kind, long now) {
        List<Due> due = new ArrayList<>();
        if (now < 0) {
            return due;
        }
        try (KeyValueIterator<String, String> entries = store.range(kind + "|", kind + "|" + pad(now) + "|\uffff")) {
            while (entries.hasNext()) {
                KeyValue<String, String> entry = entries.next();
                long at = Long.parseLong(entry.key.substring(kind.length() + 1, kind.length() + 1 + 19));
                due.add(new Due(entry.key, at, entry.value));
            }
        }
        due.forEach(entry -> store.delete(entry.key()));
        return due;
    }

    private static String key(String kind, long at, String orchestratorId) {
        return kind + "|" + pad(at) + "|" + orchestratorId;
    }

    private static String pad(long millis) {
        return String.format("%019d", millis);
    }
}
