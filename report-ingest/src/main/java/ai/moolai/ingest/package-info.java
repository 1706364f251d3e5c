/** Lands monitoring reports and recommendations in PostgreSQL, in batches, idempotently. */
package ai.moolai.ingest;
