package ai.moolai.control.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the dashboard's event stream is opened and how long it may run, under
 * {@code controller.security.event-stream.*}.
 *
 * @param ticketKey the secret sealing event tickets ({@code EVENT_TICKET_KEY}, at least 32
 *                  characters), the same on every replica so that any of them opens a stream
 *                  for a ticket another one issued; unset, each replica seals with a random key
 *                  of its own (see {@link EventTickets})
 * @param maxAge    the longest a stream runs before it ends and the browser opens a new one with
 *                  a new ticket, which checks the caller's credential again
 */
@ConfigurationProperties("controller.security.event-stream")
public record EventStreamProperties(String ticketKey, @DefaultValue("30m") Duration maxAge) {

    public EventStreamProperties {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("controller.security.event-stream.max-age must be positive");
        }
    }
}
