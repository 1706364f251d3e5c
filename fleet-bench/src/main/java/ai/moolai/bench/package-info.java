/** Benchmarks that drive a running stack with simulated orchestrators over real sockets. */
package ai.moolai.bench;
