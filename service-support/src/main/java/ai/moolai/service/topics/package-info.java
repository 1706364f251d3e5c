/** The contract's topics, created and checked at every service's start. */
package ai.moolai.service.topics;
