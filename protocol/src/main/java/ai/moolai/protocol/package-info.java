/** The wire contract shared by every component: JSON setup, WebSocket frames and Kafka topics. */
package ai.moolai.protocol;
