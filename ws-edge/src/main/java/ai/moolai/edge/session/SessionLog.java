package ai.moolai.edge.session;

import java.util.HashMap;
import java.util.Map;

import ai.moolai.service.logging.LogFields;
import org.slf4j.MDC;

/**
 * While one session's event is handled, every line logged names its session and, once admitted,
 * its orchestrator ({@link LogFields#ORCHESTRATOR_ID}); before that, the id its handshake claims is
 * named apart ({@value #CLAIMED}, at most 64 characters), so that no client can file lines under an
 * orchestrator it is not. What the thread's lines named before comes back on {@link #close()}, so
 * that one such scope may open inside another.
 */
final class SessionLog implements AutoCloseable {

    /** The id an unadmitted session's handshake claims. */
    static final String CLAIMED = "claimed_orchestrator_id";
    private static final int CLAIMED_MAX = 64;
    private static final String[] KEYS = {LogFields.SESSION_ID, LogFields.ORCHESTRATOR_ID, CLAIMED};

    private final Map<String, String> previous = new HashMap<>();

    private SessionLog(EdgeSession session) {
        for (String key : KEYS) {
            previous.put(key, MDC.get(key));
            MDC.remove(key);
        }
        MDC.put(LogFields.SESSION_ID, session.sessionId());
        admitted(session.orchestratorId());
    }

    static SessionLog of(EdgeSession session) {
        return new SessionLog(session);
    }

    /** The orchestrator the session was admitted as: the lines from here on are about it. */
    static void admitted(String orchestratorId) {
        if (orchestratorId != null) {
            MDC.put(LogFields.ORCHESTRATOR_ID, orchestratorId);
            MDC.remove(CLAIMED);
        }
    }

    /** The id a handshake claims, not yet admitted. */
    static void claimed(String orchestratorId) {
        if (orchestratorId != null) {
            MDC.put(CLAIMED, orchestratorId.length() > CLAIMED_MAX ? orchestratorId.substring(0, CLAIMED_MAX) : orchestratorId);
        }
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
