/** Retention: old reports, decided recommendations, liveness history and published outbox rows deleted in small batches. */
package ai.moolai.control.retention;
