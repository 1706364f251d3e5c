import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, query } from '../../../api/client';
import type { Instance, Page, Status, Summary } from '../../../api/types';

const BASE = '/api/v1/controller';

/** The columns the fleet can be sorted by, as control-api names them. */
export const SORTS = ['orchestratorId', 'status', 'lastSeen', 'organizationId'] as const;
export type Sort = (typeof SORTS)[number];
export type Direction = 'asc' | 'desc';
export const PAGE_SIZES = [50, 100, 200] as const;

/** What the fleet table shows: its filters, its order and its page. */
export interface FleetView {
  q: string;
  status: Status | null;
  organizationId: string | null;
  connected: boolean | null;
  independent: boolean | null;
  sort: Sort;
  direction: Direction;
  /** From 0. */
  page: number;
  size: number;
}

export const DEFAULT_VIEW: FleetView = {
  q: '',
  status: null,
  organizationId: null,
  connected: null,
  independent: null,
  sort: 'orchestratorId',
  direction: 'asc',
  page: 0,
  size: 50,
};

/**
 * How often a page sorted by last seen is read again while it is shown: heartbeats move its rows
 * all the time, and no event says where to.
 */
export const LAST_SEEN_ORDER_EVERY = 5_000;

/** The question for one page of the fleet, paged, sorted and filtered by control-api. */
const fleetPage = (view: FleetView) =>
  queryOptions({
    queryKey: ['instances', 'fleet', view],
    queryFn: () =>
      api<Page<Instance>>(
        `${BASE}/orchestrator-instances${query({
          q: view.q.trim(),
          status: view.status,
          organizationId: view.organizationId,
          connected: view.connected === null ? null : String(view.connected),
          independent: view.independent === null ? null : String(view.independent),
          sort: `${view.sort},${view.direction}`,
          page: view.page,
          size: view.size,
        })}`,
      ),
  });

const summary = queryOptions({ queryKey: ['summary'], queryFn: () => api<Summary>(`${BASE}/orchestrators/summary`) });

/**
 * One page of the fleet; the previous page stays shown while the next loads. Sorted by last seen,
 * it is read again every {@link LAST_SEEN_ORDER_EVERY}.
 */
export const useFleetPage = (view: FleetView) =>
  useQuery({
    ...fleetPage(view),
    placeholderData: (previous) => previous,
    refetchInterval: view.sort === 'lastSeen' ? LAST_SEEN_ORDER_EVERY : false,
  });

/**
 * Asks for a fleet page and the counts before anything is rendered: on a signed-in load of the
 * fleet, they are on their way while the scripts still ask who is signed in.
 */
export function prefetchFleet(client: QueryClient, view: FleetView) {
  void client.prefetchQuery(fleetPage(view));
  void client.prefetchQuery(summary);
}

/** Counts by status and who changed lately: an aggregate control-api reads cheaply, never the list. */
export const useSummary = () => useQuery(summary);
