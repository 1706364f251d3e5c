/** Running the liveness topology: the Streams instance, its lag gate, health and metrics. */
package ai.moolai.liveness.runtime;
