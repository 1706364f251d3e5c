-- Retention (control-api's purge) deletes old rows in small batches, each found through an index
-- on its time column. Reports (received_at) and transitions (occurred_at) already have one; these
-- are the rest. Pending recommendations and unpublished outbox rows are never deleted, so they
-- stay out of the indexes.
CREATE INDEX recommendations_decided ON recommendations (decided_at) WHERE decided_at IS NOT NULL;
CREATE INDEX liveness_windows_end ON liveness_windows (window_end);
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
