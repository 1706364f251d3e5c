/** Kafka topics, their keys, values and serdes: the public contract analytics consumers read. */
package ai.moolai.protocol.kafka;
