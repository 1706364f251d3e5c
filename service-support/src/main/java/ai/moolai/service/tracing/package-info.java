/** How a trace crosses an outbox row or a record a service handles by hand: W3C traceparent. */
package ai.moolai.service.tracing;
