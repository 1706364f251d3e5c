/** The liveness topology: a pure Kafka Streams definition, tested without Spring. */
package ai.moolai.liveness.topology;
