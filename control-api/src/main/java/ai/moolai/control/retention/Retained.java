package ai.moolai.control.retention;

/**
 * What the purge deletes, each kind with the rows that may go once old enough: the condition names
 * a time column that is indexed (V1, V3) and that is NULL for rows never to be deleted, so a
 * pending recommendation or an unpublished outbox row never matches. An enrolment request goes once
 * no edge has heard it for its retention: a waiting one is heard every few seconds.
 */
enum Retained {
    REPORTS("orchestrator_reports", "received_at"),
    RECOMMENDATIONS("recommendations", "decided_at"),
    TRANSITIONS("liveness_transitions", "occurred_at"),
    WINDOWS("liveness_windows", "window_end"),
    PUBLISHED_OUTBOX("outbox", "published_at"),
    ENROLMENT_REQUESTS("enrolment_requests", "last_seen_at");

    private final String table;
    private final String since;

    Retained(String table, String since) {
        this.table = table;
        this.since = since;
    }

    String table() {
        return table;
    }

    /**
     * Deletes one batch of rows older than the cutoff (parameters: the age in seconds, the batch
     * size). Rows are picked through the time index and deleted by their physical address, so one
     * statement touches only the batch and holds its row locks only as long as that takes.
     */
    String deleteBatch() {
        return "DELETE FROM " + table + " WHERE ctid = ANY (ARRAY (SELECT ctid FROM " + table + " WHERE " + since
                + " < now() - make_interval(secs => ?) LIMIT ?))";
    }
}
