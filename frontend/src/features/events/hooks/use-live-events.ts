import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../api/client';
import { createEventTicket, eventStreamUrl, type EventTicket } from '../api/create-event-ticket';

/** What each server event may have changed, by query key. */
const TOUCHES: Record<string, string[]> = {
  liveness: ['summary', 'instances', 'independence', 'transitions', 'windows'],
  // Stored apart from the status, and read by the status history and by the summary's recent changes.
  transitions: ['summary', 'transitions'],
  recommendation: ['recommendations'],
  activity: ['activity', 'organizations', 'instances', 'summary', 'independence', 'enrolments'],
  // The waiting room changed: an orchestrator entered, was heard, left, or was decided on.
  enrolments: ['enrolments'],
};

/** The wait before reconnecting after so many attempts in a row that did not get the stream going. */
const reconnectDelay = (failures: number) => Math.min(30_000, 1000 * 2 ** failures);

/**
 * Follows control-api's server-sent events and re-reads what they touch, so status changes show
 * without a reload. Each connection is opened with a fresh ticket. The server ends a stream when
 * the credential behind it expires or the stream reaches its maximum age; the browser would then
 * retry the same URL with a used ticket, so the stream is closed and opened again with a new ticket,
 * waiting longer after each attempt that fails. Returns whether the stream is connected.
 */
export function useLiveEvents(token: string): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let stopped = false;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    const reconnect = () => {
      if (stopped) return;
      retry = setTimeout(connect, reconnectDelay(failures));
      failures += 1;
    };

    const connect = async () => {
      let ticket: EventTicket;
      try {
        ticket = await createEventTicket();
      } catch (error) {
        // A refused token signs the user out (the API client sees to it); anything else may pass.
        if (!(error instanceof ApiError && error.status === 401)) reconnect();
        return;
      }
      if (stopped) return;
      const opened = new EventSource(eventStreamUrl(ticket));
      source = opened;
      opened.addEventListener('ready', () => {
        failures = 0;
        setConnected(true);
      });
      opened.onerror = () => {
        opened.close();
        setConnected(false);
        reconnect();
      };
      for (const [event, touched] of Object.entries(TOUCHES)) {
        opened.addEventListener(event, () => {
          for (const key of touched) client.invalidateQueries({ queryKey: [key] });
        });
      }
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [client, token]);

  return connected;
}
