/** How every Kafka consumer of the system handles a record it cannot take: dead-lettered alone, never stalling the rest, and watched. */
package ai.moolai.service.consumer;
