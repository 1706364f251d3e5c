/** The orchestrator side of the protocol: a library to embed and a runnable agent. */
package ai.moolai.agent;
