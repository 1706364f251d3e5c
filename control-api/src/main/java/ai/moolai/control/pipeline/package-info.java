/** The pipeline as an operator watches it: services, consumers, outbox, dead letters, edges. */
package ai.moolai.control.pipeline;
