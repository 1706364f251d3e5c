/** The management port's one gate: liveness and readiness for anyone, everything else for the holder of the management token. */
package ai.moolai.service.management;
