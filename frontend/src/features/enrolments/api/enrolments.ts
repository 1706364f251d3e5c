import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { useChange } from '../../../api/hooks';
import type { Instance } from '../../../api/types';

const ENROLMENTS = '/api/v1/controller/enrolments';
const enrolmentPath = (id: string) => `${ENROLMENTS}/${encodeURIComponent(id)}`;

/** An orchestrator nobody registered that asked to be enrolled, as its handshake described it. */
export interface WaitingOrchestrator {
  orchestratorId: string;
  hostname: string | null;
  version: string | null;
  ip: string | null;
  name: string | null;
  location: string | null;
  features: Record<string, unknown> | null;
  /** The address its connection came from, as the edge saw it. */
  remoteAddress: string | null;
  /** Enrolled with a key, which becomes its token on approval; otherwise an original client, let in without a token. */
  tokenCapable: boolean;
  /** Whether its waiting session is open now. */
  waiting: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  rejectedUntil: string | null;
}

/** Query key; the `enrolments` live event invalidates it. */
export const enrolmentsKey = ['enrolments'] as const;

/** `GET /api/v1/controller/enrolments`, the latest heard first. */
export const useEnrolments = () =>
  useQuery({ queryKey: enrolmentsKey, queryFn: () => api<WaitingOrchestrator[]>(ENROLMENTS) });

/** Requests to decide now: not rejected, or rejected and the refusal over. */
export const undecided = (requests: WaitingOrchestrator[], now = Date.now()) =>
  requests.filter((r) => !r.rejectedUntil || Date.parse(r.rejectedUntil) <= now);

export interface Approval {
  id: string;
  organizationId: string;
  name?: string;
}

/** Registers it into the organization chosen; the edge admits it at once if it is still waiting. */
export const useApproveEnrolment = () =>
  useChange(({ id, organizationId, name }: Approval) =>
    api<Instance>(`${enrolmentPath(id)}/approve`, { method: 'POST', body: { organizationId, name: name || undefined } }),
  );

/** Closes its waiting session with 4403; every edge refuses it for a while (a day unless control-api is told otherwise). */
export const useRejectEnrolment = () =>
  useChange((id: string) => api<WaitingOrchestrator>(`${enrolmentPath(id)}/reject`, { method: 'POST', body: {} }));
