/**
 * Orchestrator sessions: the upgrade gate and what a stranger may hold before its handshake, the
 * WebSocket adapter, admission, one live session per orchestrator.
 */
package ai.moolai.edge.session;
