/** The edge's configuration and its wiring of Tomcat, WebSocket and Kafka. */
package ai.moolai.edge.config;
