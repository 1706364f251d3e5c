/** Liveness materialized from Kafka into PostgreSQL in batches, and its history for the dashboard. */
package ai.moolai.control.liveness;
