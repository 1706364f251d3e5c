/** The orchestrator-facing WebSocket edge: sessions, authentication and publishing to Kafka. */
package ai.moolai.edge;
