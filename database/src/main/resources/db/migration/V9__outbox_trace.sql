-- The trace of the request that queued a change (W3C traceparent), carried onto its record's header.
ALTER TABLE outbox ADD COLUMN trace_parent text;
