import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';

/** What each server event may have changed, by query key. */
const TOUCHES: Record<string, string[]> = {
  liveness: ['live', 'instances', 'independence', 'transitions', 'windows'],
  recommendation: ['recommendations'],
  activity: ['activity', 'organizations', 'instances', 'live', 'independence'],
};

/**
 * Follows control-api's server-sent events and re-reads what they touch, so status changes show
 * without a reload. Reconnects on its own (EventSource does). Returns whether it is connected.
 */
export function useLiveEvents(token: string): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/events?access_token=${encodeURIComponent(token)}`);
    source.addEventListener('ready', () => setConnected(true));
    source.onerror = () => setConnected(false);
    for (const [event, touched] of Object.entries(TOUCHES)) {
      source.addEventListener(event, () => {
        for (const key of touched) client.invalidateQueries({ queryKey: [key] });
      });
    }
    return () => source.close();
  }, [client, token]);

  return connected;
}
