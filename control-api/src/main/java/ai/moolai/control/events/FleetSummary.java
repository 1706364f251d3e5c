package ai.moolai.control.events;

/** What heads the dashboard's fleet (counts by status, recent changes), read when the fleet's changes go out. */
public interface FleetSummary {

    /** The summary now, as {@code GET /api/v1/controller/orchestrators/summary} answers it. */
    Object summary();
}
