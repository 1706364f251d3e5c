/** Reports from Kafka into PostgreSQL: validated, batched, stored once whatever the redelivery. */
package ai.moolai.ingest.reports;
