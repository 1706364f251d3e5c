/** Processes started from a JVM: each under a name, logging to its own file, awaited and stopped in one way. */
package ai.moolai.process;
