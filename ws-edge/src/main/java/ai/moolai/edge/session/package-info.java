/** Orchestrator sessions: the WebSocket adapter, admission, one live session per orchestrator. */
package ai.moolai.edge.session;
