import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { useChange } from '../../../api/hooks';
import type { Instance } from '../../../api/types';

const ENROLMENTS = '/api/v1/controller/enrolments';
const enrolmentPath = (id: string) => `${ENROLMENTS}/${encodeURIComponent(id)}`;

/** An orchestrator nobody registered that asked to be enrolled, as its handshake described it. */
export interface WaitingOrchestrator {
  orchestratorId: string;
  /** The session that asked: an approval names it, so that it approves the request the admin saw. */
  sessionId: string;
  hostname: string | null;
  version: string | null;
  ip: string | null;
  name: string | null;
  location: string | null;
  features: Record<string, unknown> | null;
  /** The address its connection came from, as the edge saw it. */
  remoteAddress: string | null;
  /**
   * The fingerprint of the key it enrolled with (the agent logs it, to compare), which becomes its
   * token on approval; null for an original client, which approval lets in without a token.
   */
  keyFingerprint: string | null;
  /** Whether its waiting session is open now. */
  waiting: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  rejectedUntil: string | null;
  enrolmentTokenId: string | null;
  /** The organization its enrolment token enrols into. */
  proposedOrganizationId: string | null;
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
  request: WaitingOrchestrator;
  organizationId: string;
  name?: string;
}

/** Registers it into the organization chosen; the edge admits it at once if it is still waiting. */
export const useApproveEnrolment = () =>
  useChange(({ request, organizationId, name }: Approval) =>
    api<Instance>(`${enrolmentPath(request.orchestratorId)}/approve`, {
      method: 'POST',
      // An original client sends no key: the dialog has told the admin it will connect without a token.
      body: { sessionId: request.sessionId, organizationId, name: name || undefined, allowTokenless: !request.keyFingerprint },
    }),
  );

/** Closes its waiting session with 4403; every edge refuses it for a while (a day unless control-api is told otherwise). */
export const useRejectEnrolment = () =>
  useChange((id: string) => api<WaitingOrchestrator>(`${enrolmentPath(id)}/reject`, { method: 'POST', body: {} }));
