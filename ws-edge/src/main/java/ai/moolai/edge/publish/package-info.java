/** Publishing what orchestrators send to Kafka, asynchronously: socket threads never wait on the broker. */
package ai.moolai.edge.publish;
