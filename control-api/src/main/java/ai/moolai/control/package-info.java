/** The admin API: desired state, the activity log, the transactional outbox and liveness materialization. */
package ai.moolai.control;
