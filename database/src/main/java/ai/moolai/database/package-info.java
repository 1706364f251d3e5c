/** How services write PostgreSQL: the schema's migrations and multi-row statement helpers. */
package ai.moolai.database;
