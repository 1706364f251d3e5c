/** The transactional outbox: written with each change, published to Kafka in commit order by one relay. */
package ai.moolai.control.outbox;
