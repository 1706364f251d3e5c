/** What control-api answers, as its records serialize (camelCase, ISO-8601 instants). */

/** UNKNOWN: silent for the TTL while its edge could not be heard, so not known to be dead. */
export type Status = 'PENDING' | 'ACTIVE' | 'INACTIVE' | 'UNKNOWN' | 'INDEPENDENT';
export const STATUSES: Status[] = ['ACTIVE', 'INACTIVE', 'UNKNOWN', 'INDEPENDENT', 'PENDING'];

export type Role = 'ADMIN' | 'VIEWER';

export interface Me {
  subject: string;
  role: Role;
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

export interface Liveness {
  status: Status;
  reason: string | null;
  since: string | null;
  lastSeen: string | null;
  connected: boolean;
  sessionId: string | null;
  edgeId: string | null;
  independenceRequestedVersion: number | null;
  independenceAckedVersion: number | null;
}

export interface Instance {
  orchestratorId: string;
  organizationId: string;
  organizationName: string;
  name: string;
  location: string | null;
  features: Record<string, unknown> | null;
  independent: boolean;
  privacyMode: boolean;
  desiredVersion: number;
  hasCredential: boolean;
  /** Whether the orchestrator may connect and poll without a token (legacy clients); off unless an admin allowed it. */
  tokenlessAllowed: boolean;
  credentialRotatedAt: string | null;
  createdAt: string;
  updatedAt: string;
  liveness: Liveness;
}

export interface WithToken {
  instance: Instance;
  token: string;
}

/** Who changed status lately, counted by control-api from the stored transitions. */
export interface StatusChanges {
  /** The window: the last so many seconds. */
  withinSeconds: number;
  /** Orchestrators of the fleet with a status change within it. */
  orchestrators: number;
  /** Those orchestrators by the status their latest change moved them to. */
  byStatus: Partial<Record<Status, number>>;
  /** Their share of the fleet, from 0 to 1. */
  share: number;
  /** The share to exceed for a mass change (`MASS_CHANGE_SHARE`). */
  massChangeShare: number;
  massChange: boolean;
}

/** The fleet's head: counts by status and who changed status lately, without the list. */
export interface Summary {
  counts: Partial<Record<Status, number>>;
  changes: StatusChanges;
}

export interface Organization {
  organizationId: string;
  name: string;
  location: string | null;
  isActive: boolean;
  settings: Record<string, unknown> | null;
  orchestratorCount: number;
  createdAt: string;
  updatedAt: string;
}

/** The independence endpoint keeps the seed's snake_case. */
export interface Independence {
  orchestrator_id: string;
  is_independent: boolean;
  privacy_mode: boolean;
  version: number;
  status: Status;
  acknowledged: boolean;
}

export interface Transition {
  from: Status | null;
  to: Status;
  reason: string;
  at: string;
  evidence: Record<string, unknown>;
}

export interface Window {
  start: string;
  end: string;
  heartbeats: number;
  secondsActive: number;
}

export interface Report {
  orchestratorId: string;
  messageId: string;
  kind: 'monitoring_report' | 'config_snapshot';
  producedAt: string;
  receivedAt: string;
  data: Record<string, unknown>;
}

export type Decision = 'ACCEPTED' | 'REJECTED';

export interface Recommendation {
  id: number;
  orchestratorId: string;
  messageId: string;
  title: string;
  description: string | null;
  severity: 'info' | 'warning' | 'critical';
  category: string | null;
  proposedAction: unknown;
  producedAt: string;
  receivedAt: string;
  status: 'PENDING' | Decision;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

export interface ActivityEntry {
  id: number;
  at: string;
  actor: string;
  actorRole: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown> | null;
}
