package ai.moolai.control.events;

import java.time.Instant;
import java.util.Map;

/** The orchestrators heard since it was last asked, each with when: what a second's {@code seen} event tells. */
public interface RecentlySeen {

    /** Each orchestrator heard since the last call, with its latest heartbeat's time; forgets them. */
    Map<String, Instant> drain();
}
