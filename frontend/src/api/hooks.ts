import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, query } from './client';
import type {
  ActivityEntry,
  Decision,
  Independence,
  Instance,
  Me,
  Organization,
  Page,
  Recommendation,
  Report,
  Status,
  Transition,
  Window,
  WithToken,
} from './types';

const BASE = '/api/v1/controller';
const instancePath = (id: string) => `${BASE}/orchestrator-instances/${encodeURIComponent(id)}`;
const independencePath = (id: string) => `/api/v1/internal/orchestrators/${encodeURIComponent(id)}/independence`;

/** Query keys: live events invalidate by their first element. */
export const keys = {
  me: ['me'] as const,
  instances: (filters: object) => ['instances', filters] as const,
  instance: (id: string) => ['instances', 'one', id] as const,
  independence: (id: string) => ['independence', id] as const,
  transitions: (id: string) => ['transitions', id] as const,
  windows: (id: string) => ['windows', id] as const,
  reports: (id: string) => ['reports', id] as const,
  organizations: ['organizations'] as const,
  organization: (id: string) => ['organizations', id] as const,
  recommendations: (filters: object) => ['recommendations', filters] as const,
  activity: (filters: object) => ['activity', filters] as const,
};

const me = (token: string | null) =>
  queryOptions({ queryKey: [...keys.me, token], queryFn: () => api<Me>(`${BASE}/me`), enabled: !!token, retry: false });

export const useMe = (token: string | null) => useQuery(me(token));

/** Asks who the stored token belongs to before anything is rendered. */
export const prefetchMe = (client: QueryClient, token: string) => void client.prefetchQuery(me(token));

export interface InstanceFilters {
  q?: string;
  status?: Status | null;
  organizationId?: string | null;
}

export const useInstances = (filters: InstanceFilters) =>
  useQuery({
    queryKey: keys.instances(filters),
    queryFn: () =>
      api<Page<Instance>>(`${BASE}/orchestrator-instances${query({ ...filters, size: 200, sort: 'orchestratorId' })}`),
    placeholderData: (previous) => previous,
  });

export const useInstance = (id: string) =>
  useQuery({ queryKey: keys.instance(id), queryFn: () => api<Instance>(instancePath(id)) });

export const useIndependence = (id: string) =>
  useQuery({ queryKey: keys.independence(id), queryFn: () => api<Independence>(independencePath(id)) });

export const useTransitions = (id: string) =>
  useQuery({ queryKey: keys.transitions(id), queryFn: () => api<Page<Transition>>(`${instancePath(id)}/transitions?size=50`) });

export const useWindows = (id: string) =>
  useQuery({ queryKey: keys.windows(id), queryFn: () => api<Window[]>(`${instancePath(id)}/windows`) });

export const useReports = (id: string) =>
  useQuery({
    queryKey: keys.reports(id),
    queryFn: () => api<Page<Report>>(`${instancePath(id)}/reports?kind=monitoring_report&size=30`),
  });

export const useOrganizations = () =>
  useQuery({
    queryKey: keys.organizations,
    queryFn: () => api<Page<Organization>>(`${BASE}/organizations?size=200&sort=name`),
  });

export const useOrganization = (id: string) =>
  useQuery({ queryKey: keys.organization(id), queryFn: () => api<Organization>(`${BASE}/organizations/${encodeURIComponent(id)}`) });

export interface RecommendationFilters {
  orchestratorId?: string;
  status?: string | null;
  severity?: string | null;
}

export const useRecommendations = (filters: RecommendationFilters) =>
  useQuery({
    queryKey: keys.recommendations(filters),
    queryFn: () => api<Page<Recommendation>>(`${BASE}/recommendations${query({ ...filters, size: 100 })}`),
    placeholderData: (previous) => previous,
  });

export interface ActivityFilters {
  actor?: string;
  action?: string;
  targetType?: string | null;
  targetId?: string;
}

export const useActivity = (filters: ActivityFilters) =>
  useQuery({
    queryKey: keys.activity(filters),
    queryFn: () => api<Page<ActivityEntry>>(`${BASE}/activity${query({ ...filters, size: 100 })}`),
    placeholderData: (previous) => previous,
  });

/** A change; on success everything it may have touched is read again. */
export function useChange<A, R>(run: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => client.invalidateQueries(),
  });
}

export interface OrganizationInput {
  organizationId?: string;
  name: string;
  location?: string;
}

export const useCreateOrganization = () =>
  useChange((body: OrganizationInput) => api<Organization>(`${BASE}/organizations`, { method: 'POST', body }));

export const useUpdateOrganization = () =>
  useChange(({ organizationId, ...body }: OrganizationInput & { organizationId: string }) =>
    api<Organization>(`${BASE}/organizations/${encodeURIComponent(organizationId)}`, { method: 'PUT', body }),
  );

export const useDeleteOrganization = () =>
  useChange((id: string) => api<void>(`${BASE}/organizations/${encodeURIComponent(id)}`, { method: 'DELETE' }));

export interface InstanceInput {
  orchestratorId?: string;
  organizationId: string;
  name?: string;
  location?: string;
}

export const useCreateInstance = () =>
  useChange((body: InstanceInput) => api<WithToken>(`${BASE}/orchestrator-instances`, { method: 'POST', body }));

export const useDeleteInstance = () => useChange((id: string) => api<void>(instancePath(id), { method: 'DELETE' }));

export const useRotateToken = () =>
  useChange((id: string) => api<WithToken>(`${instancePath(id)}/credentials`, { method: 'POST' }));

/** Allows or withdraws tokenless sessions; `evenWithToken` confirms it for an orchestrator that holds a token. */
export const useSetTokenless = () =>
  useChange(({ id, allowed, evenWithToken }: { id: string; allowed: boolean; evenWithToken?: boolean }) =>
    api<Instance>(`${instancePath(id)}/tokenless`, { method: 'PUT', body: { allowed, ...(evenWithToken ? { evenWithToken } : {}) } }),
  );

export const useSetIndependence = () =>
  useChange(({ id, isIndependent, privacyMode }: { id: string; isIndependent: boolean; privacyMode?: boolean }) =>
    api<Independence>(independencePath(id), {
      method: 'PUT',
      body: { is_independent: isIndependent, ...(privacyMode !== undefined ? { privacy_mode: privacyMode } : {}) },
    }),
  );

export const useDecide = () =>
  useChange(({ id, decision, note }: { id: number; decision: Decision; note?: string }) =>
    api<Recommendation>(`${BASE}/recommendations/${id}/decision`, { method: 'POST', body: { decision, note: note || undefined } }),
  );
