package ai.moolai.edge.session;

import ai.moolai.service.logging.LogFields;
import org.slf4j.MDC;

/**
 * While one session's event is handled, every line logged names its session and, once known or
 * claimed, its orchestrator ({@link LogFields}); what the thread's lines named before comes back
 * on {@link #close()}, so that one such scope may open inside another.
 */
final class SessionLog implements AutoCloseable {

    private final String previousSession;
    private final String previousOrchestrator;

    private SessionLog(EdgeSession session) {
        previousSession = MDC.get(LogFields.SESSION_ID);
        previousOrchestrator = MDC.get(LogFields.ORCHESTRATOR_ID);
        MDC.put(LogFields.SESSION_ID, session.sessionId());
        about(session.orchestratorId());
    }

    static SessionLog of(EdgeSession session) {
        return new SessionLog(session);
    }

    /** The orchestrator the lines from here on are about: the one a handshake claims, or the session's own. */
    static void about(String orchestratorId) {
        if (orchestratorId != null) {
            MDC.put(LogFields.ORCHESTRATOR_ID, orchestratorId);
        }
    }

    @Override
    public void close() {
        restore(LogFields.SESSION_ID, previousSession);
        restore(LogFields.ORCHESTRATOR_ID, previousOrchestrator);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
