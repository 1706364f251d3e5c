/**
 * The launcher that runs the whole system on one machine without Docker, and the tool that looks at
 * and replays its dead-letter topics.
 */
package ai.moolai.devstack;
