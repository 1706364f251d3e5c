/** The edge's in-memory view of the admin-owned desired state, read from its compacted topic. */
package ai.moolai.edge.desiredstate;
