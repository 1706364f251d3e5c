/** What every service's structured log lines carry: the instance, and the orchestrator and session a line is about. */
package ai.moolai.service.logging;
