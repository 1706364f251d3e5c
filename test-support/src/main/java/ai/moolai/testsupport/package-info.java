/** Real infrastructure for tests: a fresh PostgreSQL database per run and the run's embedded Kafka broker. */
package ai.moolai.testsupport;
