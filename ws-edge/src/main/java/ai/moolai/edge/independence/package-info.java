/** The independence poll independent orchestrators use instead of a socket. */
package ai.moolai.edge.independence;
