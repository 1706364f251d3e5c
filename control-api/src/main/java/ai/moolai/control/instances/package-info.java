/** Orchestrator instances: desired state, credentials and independence, published through the outbox. */
package ai.moolai.control.instances;
