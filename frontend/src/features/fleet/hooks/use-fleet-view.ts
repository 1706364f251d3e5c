import { useSearchParams } from 'react-router';
import { STATUSES } from '../../../api/types';
import { DEFAULT_VIEW, PAGE_SIZES, SORTS, type FleetView } from '../api/fleet';

const flag = (value: string | null): boolean | null => (value === 'true' ? true : value === 'false' ? false : null);

/** The view as the URL says it; anything the URL says wrongly is left at its default. */
export function viewOf(params: URLSearchParams): FleetView {
  const [sort, direction] = (params.get('sort') ?? '').split(',');
  const page = Number(params.get('page'));
  const size = Number(params.get('size'));
  return {
    q: params.get('q') ?? DEFAULT_VIEW.q,
    status: STATUSES.find((s) => s === params.get('status')) ?? null,
    organizationId: params.get('organization') || null,
    connected: flag(params.get('connected')),
    independent: flag(params.get('independent')),
    sort: SORTS.find((s) => s === sort) ?? DEFAULT_VIEW.sort,
    direction: direction === 'desc' ? 'desc' : 'asc',
    // The URL counts pages from 1, as people do.
    page: Number.isInteger(page) && page > 1 ? page - 1 : 0,
    size: PAGE_SIZES.find((s) => s === size) ?? DEFAULT_VIEW.size,
  };
}

/** The URL of a view: only what differs from the default, so that a plain link stays plain. */
export function paramsOf(view: FleetView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.q) params.set('q', view.q);
  if (view.status) params.set('status', view.status);
  if (view.organizationId) params.set('organization', view.organizationId);
  if (view.connected !== null) params.set('connected', String(view.connected));
  if (view.independent !== null) params.set('independent', String(view.independent));
  if (view.sort !== DEFAULT_VIEW.sort || view.direction !== DEFAULT_VIEW.direction) params.set('sort', `${view.sort},${view.direction}`);
  if (view.page > 0) params.set('page', String(view.page + 1));
  if (view.size !== DEFAULT_VIEW.size) params.set('size', String(view.size));
  return params;
}

/**
 * The fleet table's view, kept in the URL (`/?status=INACTIVE&sort=lastSeen,desc&page=3`) so that it
 * can be shared and survives a reload. A change of filter or order goes back to the first page.
 */
export function useFleetView(): [FleetView, (change: Partial<FleetView>) => void] {
  const [params, setParams] = useSearchParams();
  const view = viewOf(params);
  const change = (next: Partial<FleetView>) => {
    const paging = 'page' in next ? {} : { page: 0 };
    setParams(paramsOf({ ...view, ...paging, ...next }), { replace: true });
  };
  return [view, change];
}
