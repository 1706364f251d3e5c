import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient, type Query, type QueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../api/client';
import type { Instance, Page } from '../../../api/types';
import { applyFleetChange, applySeen, membershipMayChange, type FleetChange } from '../../fleet/api/apply-fleet-change';
import { createEventTicket, eventStreamUrl, type EventTicket } from '../api/create-event-ticket';
import { idsOf, shownIds, watchOf } from '../api/watch';

/** What each server event other than `fleet` may have changed, by query key: read again. */
const TOUCHES: Record<string, string[]> = {
  recommendation: ['recommendations'],
  activity: ['activity', 'organizations', 'instances', 'summary', 'independence', 'enrolments'],
  // The waiting room changed: an orchestrator entered, was heard, left, or was decided on.
  enrolments: ['enrolments'],
};

/** How often, at most, a fleet page whose rows changes may move is read again while changes come. */
const MEMBERSHIP_REFRESH_MS = 5_000;

/** How soon, at most, a change in what the pages show reaches the stream's watch. */
const WATCH_SETTLES_MS = 250;

/** The wait before reconnecting after so many attempts in a row that did not get the stream going. */
const reconnectDelay = (failures: number) => Math.min(30_000, 1000 * 2 ** failures);

/**
 * Follows control-api's server-sent events, so status changes show without a reload.
 * - `fleet` (the fleet's changes, coalesced by control-api) is applied to what the dashboard holds,
 *   nothing read again; a page whose rows changes may move (filtered by status, say) is read again
 *   at most every 5 s while changes come, its own or, counted, others'.
 * - Other events re-read what they touch.
 * - The stream watches what the open pages show (see `shownIds`): it carries only those
 *   orchestrators' changes, and counts the others'. When that changes, a new stream opens and
 *   resumes after the last event seen, with the new watch. Once it is ready, the pages that show
 *   orchestrators the streams before did not watch are read again (their changes in between went
 *   out counted, not carried), except those whose rows may move, which the count made read
 *   themselves again; the first stream, which resumes nothing, has everything read again. Once a
 *   second the stream also says when those it watches were last heard (`seen`), put in place:
 *   last seen to the second.
 * - Each connection is opened with a fresh ticket and the id of the last event seen, so the server
 *   sends what was missed meanwhile first; `reset` (it no longer knows) reads everything again.
 * The server ends a stream when the credential behind it expires or the stream reaches its maximum
 * age; the browser would then retry the same URL with a used ticket, so the stream is closed and
 * opened again with a new ticket, waiting longer after each attempt that fails. Returns whether the
 * stream is connected.
 */
export function useLiveEvents(token: string): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  const watched = useWatch(client);
  const refreshMembership = useMembershipRefresh(client);
  // The last event seen, kept across the streams opened for one watch and the next: each resumes after it.
  const lastEventId = useRef<string | null>(null);
  // What the streams so far carried the changes of (null: every one), once ready: what the pages show
  // besides is read again.
  const carried = useRef<Set<string> | null>(new Set<string>());

  useEffect(() => {
    if (typeof EventSource === 'undefined' || watched === undefined) return;
    let stopped = false;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    // The first stream for this watch reads again, once ready, what the streams before did not watch (see below).
    let first = true;

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
      const resumes = lastEventId.current !== null;
      const opened = new EventSource(eventStreamUrl(ticket, lastEventId.current, watched.watch));
      source = opened;
      const seen = (event: Event) => {
        const id = (event as MessageEvent).lastEventId;
        if (id) lastEventId.current = id;
      };
      opened.addEventListener('ready', (event) => {
        seen(event);
        failures = 0;
        setConnected(true);
        if (first) {
          first = false;
          const before = carried.current;
          carried.current = watched.watch === null ? null : new Set(watched.ids);
          if (!resumes) {
            client.invalidateQueries({ queryKey: ['instances'] });
            client.invalidateQueries({ queryKey: ['summary'] });
          } else {
            client.invalidateQueries({
              queryKey: ['instances'],
              predicate: (query) => !membershipMayChange(query) && before !== null && showsAnyBut(query, before),
            });
          }
        }
      });
      opened.onerror = () => {
        opened.close();
        setConnected(false);
        reconnect();
      };
      opened.addEventListener('fleet', (event) => {
        seen(event);
        const change = JSON.parse((event as MessageEvent).data) as FleetChange;
        applyFleetChange(client, change);
        if (change.orchestrators.length > 0 || change.others > 0) refreshMembership();
      });
      opened.addEventListener('seen', (event) => {
        applySeen(client, (JSON.parse((event as MessageEvent).data) as { lastSeen: Record<string, string> }).lastSeen);
      });
      opened.addEventListener('reset', (event) => {
        seen(event);
        client.invalidateQueries();
      });
      for (const [name, touched] of Object.entries(TOUCHES)) {
        opened.addEventListener(name, (event) => {
          seen(event);
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
  }, [client, token, watched, refreshMembership]);

  return connected;
}

/**
 * Reads the pages whose rows changes may move again, at most every {@link MEMBERSHIP_REFRESH_MS}:
 * one read for all the changes that come meanwhile. It outlives the streams, so that a read due
 * for changes an earlier stream heard of still comes after the watch moved on.
 */
function useMembershipRefresh(client: QueryClient): () => void {
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refreshedAt = useRef(0);
  useEffect(
    () => () => {
      clearTimeout(pending.current);
      pending.current = undefined;
    },
    [],
  );
  return useCallback(() => {
    if (pending.current !== undefined) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      refreshedAt.current = Date.now();
      client.invalidateQueries({ predicate: membershipMayChange });
    }, Math.max(0, refreshedAt.current + MEMBERSHIP_REFRESH_MS - Date.now()));
  }, [client]);
}

/** Whether a query shows an orchestrator not among these. */
function showsAnyBut(query: Query, ids: Set<string>): boolean {
  const data = query.state.data as Page<Instance> | Instance | undefined;
  return data !== undefined && idsOf(data).some((id) => !ids.has(id));
}

/** The stream's watch (null: every change, too many ids to name) and the ids it was made of. */
interface Watched {
  watch: string | null;
  ids: string[];
}

/**
 * What the open pages show, as the stream's watch (undefined: not known yet), followed as queries
 * come, go and get their data, once they have settled for {@link WATCH_SETTLES_MS} and none that
 * shows orchestrators is still loading: a page on its way opens no stream of its own. A new value
 * only when the watch changes.
 */
function useWatch(client: QueryClient): Watched | undefined {
  const [watched, setWatched] = useState<Watched | undefined>(undefined);
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      clearTimeout(pending);
      pending = setTimeout(() => {
        const ids = shownIds(client);
        if (ids === undefined) return;
        const watch = watchOf(ids);
        setWatched((previous) => (previous !== undefined && previous.watch === watch ? previous : { watch, ids }));
      }, WATCH_SETTLES_MS);
    };
    settle();
    const unsubscribe = client.getQueryCache().subscribe(settle);
    return () => {
      clearTimeout(pending);
      unsubscribe();
    };
  }, [client]);
  return watched;
}
