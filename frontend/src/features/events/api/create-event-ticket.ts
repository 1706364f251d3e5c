import { api } from '../../../api/client';

/** A single-use ticket that opens the event stream once, within 30 s. */
export interface EventTicket {
  ticket: string;
  expiresAt: string;
}

/**
 * `POST /api/v1/events/tickets` with the signed-in token, for either role. The browser's
 * EventSource cannot send the token in a header, and a token in the URL would be logged on the
 * way, so the stream is opened with a ticket instead. Not a query: each ticket is used once.
 */
export const createEventTicket = () => api<EventTicket>('/api/v1/events/tickets', { method: 'POST' });

/**
 * The event stream's URL for a ticket; after `lastEventId`, the server sends what was missed first;
 * with `watch` (see `watchOf`), only the changes of the orchestrators it holds.
 */
export const eventStreamUrl = (ticket: EventTicket, lastEventId?: string | null, watch?: string | null) =>
  `/api/v1/events?ticket=${encodeURIComponent(ticket.ticket)}${lastEventId ? `&lastEventId=${encodeURIComponent(lastEventId)}` : ''}${
    watch ? `&watch=${watch}` : ''
  }`;
