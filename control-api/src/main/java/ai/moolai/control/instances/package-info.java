/** Orchestrator instances: desired state, credentials and independence, published through the outbox, and put back on its topic when the broker lost them. */
package ai.moolai.control.instances;
