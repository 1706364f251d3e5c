/** Running the liveness topology: the Streams instance, its failures, lag gate, progress, health and metrics. */
package ai.moolai.liveness.runtime;
