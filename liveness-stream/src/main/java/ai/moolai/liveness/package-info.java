/** Derives each orchestrator's liveness, transitions and windows with Kafka Streams. */
package ai.moolai.liveness;
