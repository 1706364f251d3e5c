import type { Query, QueryClient } from '@tanstack/react-query';
import type { Instance, Liveness, Page, Summary } from '../../../api/types';
import type { FleetView } from './fleet';

/** What control-api's `fleet` event says: who changed since the last one, and the fleet's summary now. */
export interface FleetChange {
  /** Each orchestrator whose liveness changed, its latest only. */
  orchestrators: (Liveness & { orchestratorId: string })[];
  /** More changed than an event carries: none are, so what shows them is read again. */
  truncated: boolean;
  /** Whether status changes were stored in the history meanwhile. */
  transitionsStored: boolean;
  /** Read again at most every second while changes come, and sent in an event of its own; null in the others. */
  summary: Summary | null;
  /** How many changed that the stream does not watch (see `watchOf`), and are not carried. */
  others: number;
}

/** The instance with the liveness a change carries (the fields the dashboard shows, nothing else of the record). */
function withLiveness(instance: Instance, change: Liveness): Instance {
  const { status, reason, since, lastSeen, connected, sessionId, edgeId, independenceRequestedVersion, independenceAckedVersion } =
    change;
  return {
    ...instance,
    liveness: { status, reason, since, lastSeen, connected, sessionId, edgeId, independenceRequestedVersion, independenceAckedVersion },
  };
}

/**
 * Applies a `fleet` event to what the dashboard holds, without reading anything again: the summary
 * is replaced when the event has one, and each changed orchestrator's liveness is put in place wherever it is shown (a
 * fleet page, an organization's list, its own page). Only an open orchestrator page's history and
 * windows are read again, when they are its.
 */
export function applyFleetChange(client: QueryClient, change: FleetChange) {
  if (change.summary) client.setQueryData(['summary'], change.summary);
  if (change.truncated) client.invalidateQueries({ queryKey: ['instances'] });
  const changed = new Map(change.orchestrators.map((liveness) => [liveness.orchestratorId, liveness]));
  if (changed.size > 0) {
    updateShown(client, (i) => {
      const liveness = changed.get(i.orchestratorId);
      return liveness ? withLiveness(i, liveness) : i;
    });
    client.invalidateQueries({
      predicate: (query) => ['independence', 'windows'].includes(String(query.queryKey[0])) && changed.has(String(query.queryKey[1])),
    });
  }
  if (change.transitionsStored) client.invalidateQueries({ queryKey: ['transitions'] });
}

/**
 * Applies a `seen` event (`{ lastSeen: { id: time } }`, once a second, for the orchestrators the
 * stream watches): each one's last seen, wherever it is shown, when later than what is held.
 */
export function applySeen(client: QueryClient, lastSeen: Record<string, string>) {
  const later = (i: Instance) => {
    const at = lastSeen[i.orchestratorId];
    return at !== undefined && (i.liveness.lastSeen === null || Date.parse(at) > Date.parse(i.liveness.lastSeen));
  };
  updateShown(client, (i) => (later(i) ? { ...i, liveness: { ...i.liveness, lastSeen: lastSeen[i.orchestratorId] } } : i));
}

/**
 * Puts each orchestrator as `update` has it wherever it is shown (a fleet page, an organization's
 * list, its own page). `update` returns the same instance when it has nothing to change, and a list
 * none of whose orchestrators changed stays the same object, so nothing showing it renders again.
 * - What is put in place is not a read: a page keeps its age and, if it was due to be read again
 *   (an admin's change marked it while it was hidden), it still is. Otherwise a page hidden while
 *   its orchestrators are watched (once a second for their last seen) would never be read again, and
 *   what no event carries (independence, a name) would stay as it was.
 * - A page being read when a change comes is read from before the change or after it: the change is
 *   put in place on what the read brings too (a later change's event puts that in place in turn).
 */
function updateShown(client: QueryClient, update: (i: Instance) => Instance) {
  const cache = client.getQueryCache();
  for (const query of cache.findAll({ queryKey: ['instances'] })) {
    putInPlace(client, query, update);
    if (query.state.fetchStatus !== 'fetching') continue;
    const queued = duringRead.get(query);
    if (queued) {
      queued.push(update);
      continue;
    }
    duringRead.set(query, [update]);
    // One listener a read, whatever comes meanwhile; gone when the read ends or the query does (a sign-out).
    const unsubscribe = cache.subscribe((event) => {
      if (event.query !== query) return;
      const ended = event.type === 'removed' || (event.type === 'updated' && query.state.fetchStatus === 'idle');
      if (!ended) return;
      unsubscribe();
      const updates = duringRead.get(query) ?? [];
      duringRead.delete(query);
      if (event.type === 'updated' && event.action.type === 'success') updates.forEach((u) => putInPlace(client, query, u));
    });
  }
}

/** The changes put in place while a page is read, to put on what the read brings. */
const duringRead = new WeakMap<Query, ((i: Instance) => Instance)[]>();

function putInPlace(client: QueryClient, query: Query, update: (i: Instance) => Instance) {
  const data = query.state.data as Page<Instance> | Instance | undefined;
  if (!data) return;
  let next: Page<Instance> | Instance;
  if ('items' in data) {
    const items = data.items.map(update);
    next = items.some((i, n) => i !== data.items[n]) ? { ...data, items } : data;
  } else {
    next = update(data);
  }
  if (next === data) return;
  const { dataUpdatedAt, isInvalidated } = query.state;
  client.setQueryData(query.queryKey, next, { updatedAt: dataUpdatedAt });
  if (isInvalidated) void client.invalidateQueries({ queryKey: query.queryKey, exact: true, refetchType: 'none' });
}

/**
 * Whether changes may move orchestrators into or out of a fleet page, or along it: a page filtered
 * by status or connection, or sorted by status or last seen. Such a page is read again now and then
 * (see the live events); one sorted by id or organization and filtered by neither only ever has its
 * rows changed in place.
 */
export function membershipMayChange(query: Query): boolean {
  const [first, second, view] = query.queryKey as [string, string, FleetView | undefined];
  if (first !== 'instances' || second !== 'fleet' || !view) return false;
  return view.status !== null || view.connected !== null || view.sort === 'status' || view.sort === 'lastSeen';
}
