/** The edge's in-memory view of the admin-owned desired state, and the followers that read the edge's topics into it. */
package ai.moolai.edge.desiredstate;
