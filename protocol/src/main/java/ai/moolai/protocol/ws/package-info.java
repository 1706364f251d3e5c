/** The orchestrator ⇄ controller WebSocket protocol: frames in both directions and their codec. */
package ai.moolai.protocol.ws;
