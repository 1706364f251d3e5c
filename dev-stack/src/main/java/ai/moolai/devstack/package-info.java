/** The launcher that runs the whole system on one machine without Docker. */
package ai.moolai.devstack;
