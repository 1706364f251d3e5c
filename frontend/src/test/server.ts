import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import type { WaitingOrchestrator } from '../features/enrolments/api/enrolments';
import type { EnrolmentToken } from '../features/enrolments/components/enrolment-tokens';
import type { ActivityEntry, Instance, Organization, Recommendation, Report, Status, StatusChanges, Summary, Transition, Window } from '../api/types';
import type { FleetChange } from '../features/fleet/api/apply-fleet-change';
import type { Pipeline } from '../features/pipeline/api/pipeline';

/**
 * control-api as the route tests see it: MSW handlers over a small in-memory fleet, with the
 * real API's paths, tokens, problem details and activity entries.
 */
export const ADMIN_TOKEN = 'admin-token';
export const VIEWER_TOKEN = 'viewer-token';
const BASE = '/api/v1/controller';

const now = () => new Date().toISOString();
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

export const fleet = {
  organizations: [] as Organization[],
  instances: [] as Instance[],
  independenceAcked: new Map<string, boolean>(),
  transitions: new Map<string, Transition[]>(),
  windows: new Map<string, Window[]>(),
  reports: new Map<string, Report[]>(),
  recommendations: [] as Recommendation[],
  activity: [] as ActivityEntry[],
  /** Orchestrators nobody registered that asked to be enrolled. */
  enrolments: [] as WaitingOrchestrator[],
  enrolmentTokens: [] as EnrolmentToken[],
  /** The event-stream tickets issued, each for one stream. */
  tickets: [] as string[],
  /** What `GET /pipeline` answers. */
  pipeline: healthyPipeline(),
  /** The query of each request for a page of the fleet, in order. */
  listed: [] as string[],
  /** The id of each request for one orchestrator, in order. */
  readOne: [] as string[],
  /** `MASS_CHANGE_SHARE`: the summary flags a mass change when more of the fleet changed status in the last minute. */
  massChangeShare: 0.1,
  reset() {
    this.organizations = [organization('acme', 'Acme Corp', 2), organization('globex', 'Globex', 1)];
    this.instances = [
      instance('acme-1', 'acme', 'Acme Corp', 'ACTIVE', 'heartbeat', true),
      instance('acme-2', 'acme', 'Acme Corp', 'INACTIVE', 'heartbeat_timeout', false),
      instance('globex-1', 'globex', 'Globex', 'INDEPENDENT', 'independence_confirmed', false, true),
    ];
    this.independenceAcked = new Map([['acme-1', true], ['acme-2', true], ['globex-1', true]]);
    this.transitions = new Map([
      ['acme-1', [
        { from: 'PENDING', to: 'ACTIVE', reason: 'connected', at: ago(600), evidence: {} },
        { from: null, to: 'PENDING', reason: 'registered', at: ago(900), evidence: {} },
      ]],
    ]);
    this.windows = new Map([['acme-1', [
      { start: ago(180), end: ago(120), heartbeats: 6, secondsActive: 60 },
      { start: ago(120), end: ago(60), heartbeats: 3, secondsActive: 30 },
    ]]]);
    this.reports = new Map([['acme-1', [
      report('acme-1', { cpu_pct: 42.5, mem_pct: 61.0, requests_per_min: 1200 }, 10),
      report('acme-1', { cpu_pct: 30.1, mem_pct: 55.2, requests_per_min: 900 }, 70),
    ]]]);
    this.recommendations = [
      recommendation(1, 'acme-1', 'Enable response cache', 'PENDING', 'info'),
      recommendation(2, 'globex-1', 'Raise the connection pool', 'ACCEPTED', 'warning'),
    ];
    this.activity = [];
    this.enrolments = [
      waiting('new-agent', true, { hostname: 'agent-host', version: '1.1.0', name: 'New agent', features: { cache: { enabled: false } } }),
      waiting('legacy-1', false, { hostname: 'legacy-host', version: '1.0.0' }),
    ];
    this.enrolmentTokens = [];
    this.tickets = [];
    this.listed = [];
    this.readOne = [];
    this.pipeline = healthyPipeline();
    this.massChangeShare = 0.1;
  },
  record(action: string, targetType: string, targetId: string, details: Record<string, unknown> = {}) {
    this.activity.unshift({ id: this.activity.length + 1, at: now(), actor: 'admin', actorRole: 'ADMIN', action, targetType, targetId, details });
  },
};

function waiting(orchestratorId: string, withKey: boolean, said: Partial<WaitingOrchestrator>): WaitingOrchestrator {
  return { orchestratorId, sessionId: `session-of-${orchestratorId}`, hostname: null, version: null, ip: '10.0.0.9', name: null,
    location: 'eu-1', features: null, remoteAddress: '203.0.113.7', keyFingerprint: withKey ? '9f86-d081-884c' : null,
    waiting: true, firstSeenAt: ago(300), lastSeenAt: ago(4), rejectedUntil: null, enrolmentTokenId: null,
    proposedOrganizationId: null, ...said };
}

function organization(organizationId: string, name: string, orchestratorCount: number): Organization {
  return { organizationId, name, location: 'eu-1', isActive: true, settings: {}, orchestratorCount, createdAt: ago(3600), updatedAt: ago(3600) };
}

export function instance(orchestratorId: string, organizationId: string, organizationName: string, status: Status, reason: string,
  connected: boolean, independent = false): Instance {
  return {
    orchestratorId, organizationId, organizationName, name: orchestratorId.toUpperCase(), location: 'eu-1', features: {},
    independent, privacyMode: false, desiredVersion: 1, hasCredential: true, tokenlessAllowed: false, credentialRotatedAt: null,
    createdAt: ago(3600),
    updatedAt: ago(3600),
    liveness: { status, reason, since: ago(600), lastSeen: status === 'PENDING' ? null : ago(12), connected, sessionId: null,
      edgeId: connected ? 'edge-1' : null, independenceRequestedVersion: null, independenceAckedVersion: null },
  };
}

function report(orchestratorId: string, data: Record<string, unknown>, secondsAgo: number): Report {
  return { orchestratorId, messageId: crypto.randomUUID(), kind: 'monitoring_report', producedAt: ago(secondsAgo), receivedAt: ago(secondsAgo), data };
}

function recommendation(id: number, orchestratorId: string, title: string, status: Recommendation['status'],
  severity: Recommendation['severity']): Recommendation {
  return {
    id, orchestratorId, messageId: crypto.randomUUID(), title, description: 'Repeated requests make up 40% of traffic.', severity,
    category: 'performance', proposedAction: {}, producedAt: ago(300), receivedAt: ago(300), status,
    decidedBy: status === 'PENDING' ? null : 'admin', decidedAt: status === 'PENDING' ? null : ago(100), decisionNote: null,
  };
}

const problem = (status: number, detail: string) =>
  HttpResponse.json({ type: 'about:blank', title: 'Error', status, detail }, { status, headers: { 'Content-Type': 'application/problem+json' } });

/** The caller's role, or a 401/403 answer. */
function authorize(request: Request, change: boolean): HttpResponse<JsonBodyType> | null {
  const token = request.headers.get('Authorization')?.replace('Bearer ', '');
  if (token !== ADMIN_TOKEN && token !== VIEWER_TOKEN) return problem(401, 'Full authentication is required');
  if (change && token !== ADMIN_TOKEN) return problem(403, 'Access Denied');
  return null;
}

const page = <T,>(items: T[]) => HttpResponse.json({ items, page: 0, size: 200, total: items.length });

function independenceOf(i: Instance) {
  return {
    orchestrator_id: i.orchestratorId, is_independent: i.independent, privacy_mode: i.privacyMode, version: i.desiredVersion,
    status: i.liveness.status, acknowledged: fleet.independenceAcked.get(i.orchestratorId) ?? false,
  };
}

function read(path: string, respond: (request: Request, params: Record<string, string>, url: URL) => HttpResponse<JsonBodyType> | Promise<HttpResponse<JsonBodyType>>) {
  return http.get(path, ({ request, params }) => authorize(request, false) ?? respond(request, params as Record<string, string>, new URL(request.url)));
}

function change(method: 'post' | 'put' | 'delete', path: string, respond: (body: Record<string, unknown>, params: Record<string, string>) => HttpResponse<JsonBodyType>) {
  return http[method](path, async ({ request, params }) => {
    const refused = authorize(request, true);
    if (refused) return refused;
    const body = request.headers.get('Content-Type')?.includes('json') ? ((await request.json()) as Record<string, unknown>) : {};
    return respond(body, params as Record<string, string>);
  });
}

/** The pipeline with every part well. */
export function healthyPipeline(): Pipeline {
  return {
    at: now(), status: 'ok', problems: [],
    services: [{ service: 'control-api', instance: 'this instance', status: 'UP' },
      { service: 'ws-edge', instance: '#1', status: 'UP' }],
    consumers: [{ group: 'report-ingest', topic: 'orchestrator.reports.v1', lag: 0, oldestAgeSeconds: null }],
    outbox: { backlog: 0, oldestAgeSeconds: null },
    deadLetters: [{ topic: 'orchestrator.reports.v1.dlt', records: 3 }],
    edges: [{ edgeId: 'edge-1', sessions: 1200, publishing: true, stopping: false, at: now() }],
  };
}

/** Counts by status and who changed in the last minute, as control-api's summary has them. */
function summaryOf(): Summary {
  const counts: Record<string, number> = {};
  for (const i of fleet.instances) counts[i.liveness.status] = (counts[i.liveness.status] ?? 0) + 1;
  // An orchestrator changed status in the last minute when its current status began within it.
  const changed = fleet.instances.filter((i) => i.liveness.since && Date.now() - Date.parse(i.liveness.since) < 60_000);
  const byStatus: Record<string, number> = {};
  for (const i of changed) byStatus[i.liveness.status] = (byStatus[i.liveness.status] ?? 0) + 1;
  const share = fleet.instances.length ? changed.length / fleet.instances.length : 0;
  const changes: StatusChanges = { withinSeconds: 60, orchestrators: changed.length, byStatus, share,
    massChangeShare: fleet.massChangeShare, massChange: share > fleet.massChangeShare };
  return { counts, changes };
}

/** control-api's `fleet` event for these orchestrators as they are now in the fleet, with the summary. */
export function fleetChange(ids: string[], transitionsStored = true): FleetChange {
  return {
    orchestrators: fleet.instances.filter((i) => ids.includes(i.orchestratorId))
      .map((i) => ({ orchestratorId: i.orchestratorId, ...i.liveness })),
    truncated: false,
    transitionsStored,
    summary: summaryOf(),
    others: 0,
  };
}

const findInstance = (id: string) => fleet.instances.find((i) => i.orchestratorId === id);

export const handlers = [
  read(`${BASE}/me`, (request) => HttpResponse.json(
    request.headers.get('Authorization') === `Bearer ${ADMIN_TOKEN}` ? { subject: 'admin', role: 'ADMIN' } : { subject: 'viewer', role: 'VIEWER' })),
  read(`${BASE}/orchestrators/summary`, () => HttpResponse.json(summaryOf())),
  read(`${BASE}/pipeline`, () => HttpResponse.json(fleet.pipeline as unknown as JsonBodyType)),
  read(`${BASE}/orchestrator-instances`, (_r, _p, url) => {
    fleet.listed.push(url.search);
    const params = url.searchParams;
    const q = params.get('q')?.toLowerCase();
    const status = params.get('status');
    const org = params.get('organizationId');
    const connected = params.get('connected');
    const independent = params.get('independent');
    const [sort, direction] = (params.get('sort') ?? 'orchestratorId,asc').split(',');
    const size = Number(params.get('size') ?? 50);
    const number = Number(params.get('page') ?? 0);
    const key: Record<string, (i: Instance) => string> = {
      orchestratorId: (i) => i.orchestratorId,
      status: (i) => i.liveness.status,
      lastSeen: (i) => i.liveness.lastSeen ?? '',
      organizationId: (i) => i.organizationId,
    };
    const matching = fleet.instances.filter((i) =>
      (!q || `${i.orchestratorId} ${i.name} ${i.organizationName}`.toLowerCase().includes(q))
      && (!status || i.liveness.status === status) && (!org || i.organizationId === org)
      && (!connected || String(i.liveness.connected) === connected) && (!independent || String(i.independent) === independent));
    // As control-api orders them: ids in natural order (…-9 before …-10), ties by id.
    const natural = new Intl.Collator('en', { numeric: true });
    const sorted = [...matching].sort((a, b) =>
      (natural.compare(key[sort](a), key[sort](b)) || natural.compare(a.orchestratorId, b.orchestratorId)) * (direction === 'desc' ? -1 : 1));
    return HttpResponse.json({ items: sorted.slice(number * size, (number + 1) * size), page: number, size, total: matching.length });
  }),
  change('post', `${BASE}/orchestrator-instances`, (body) => {
    const org = fleet.organizations.find((o) => o.organizationId === body.organizationId);
    if (!org) return problem(404, `organization ${body.organizationId} not found`);
    const id = (body.orchestratorId as string) ?? `${org.organizationId}-${fleet.instances.length + 1}`;
    if (findInstance(id)) return problem(409, `orchestrator ${id} already exists`);
    const created = instance(id, org.organizationId, org.name, 'PENDING', 'registered', false);
    fleet.instances.push(created);
    fleet.record('orchestrator.created', 'orchestrator', id);
    return HttpResponse.json({ instance: created, token: 'mo_new-token-for-' + id }, { status: 201 });
  }),
  read(`${BASE}/orchestrator-instances/:id`, (_r, { id }) => {
    fleet.readOne.push(id);
    const found = findInstance(id);
    return found ? HttpResponse.json(found) : problem(404, `orchestrator ${id} not found`);
  }),
  change('delete', `${BASE}/orchestrator-instances/:id`, (_b, { id }) => {
    fleet.instances = fleet.instances.filter((i) => i.orchestratorId !== id);
    fleet.record('orchestrator.deleted', 'orchestrator', id);
    return new HttpResponse(null, { status: 204 });
  }),
  change('post', `${BASE}/orchestrator-instances/:id/credentials`, (_b, { id }) => {
    const i = findInstance(id)!;
    Object.assign(i, { hasCredential: true, tokenlessAllowed: false, desiredVersion: i.desiredVersion + 1 });
    fleet.record('orchestrator.credentials.rotated', 'orchestrator', id, { tokenlessAllowed: false });
    return HttpResponse.json({ instance: i, token: 'mo_rotated-token' });
  }),
  change('put', `${BASE}/orchestrator-instances/:id/tokenless`, (body, { id }) => {
    const i = findInstance(id);
    if (!i) return problem(404, `orchestrator ${id} not found`);
    if (body.allowed && i.hasCredential && body.evenWithToken !== true) {
      return problem(409, `orchestrator ${id} holds a token: allowing tokenless sessions would let anyone connect as it `
        + 'without that token; send "evenWithToken": true to allow them anyway');
    }
    Object.assign(i, { tokenlessAllowed: body.allowed as boolean, desiredVersion: i.desiredVersion + 1 });
    fleet.record('orchestrator.tokenless.set', 'orchestrator', id,
      { allowed: i.tokenlessAllowed, holdsToken: i.hasCredential, version: i.desiredVersion });
    return HttpResponse.json(i);
  }),
  read(`${BASE}/orchestrator-instances/:id/transitions`, (_r, { id }) => page(fleet.transitions.get(id) ?? [])),
  read(`${BASE}/orchestrator-instances/:id/windows`, (_r, { id }) => HttpResponse.json(fleet.windows.get(id) ?? [])),
  read(`${BASE}/orchestrator-instances/:id/reports`, (_r, { id }) => page(fleet.reports.get(id) ?? [])),
  read('/api/v1/internal/orchestrators/:id/independence', (_r, { id }) => HttpResponse.json(independenceOf(findInstance(id)!))),
  change('put', '/api/v1/internal/orchestrators/:id/independence', (body, { id }) => {
    const i = findInstance(id)!;
    i.independent = body.is_independent as boolean;
    if (body.privacy_mode !== undefined) i.privacyMode = body.privacy_mode as boolean;
    i.desiredVersion += 1;
    fleet.independenceAcked.set(id, false);
    fleet.record('orchestrator.independence.set', 'orchestrator', id, { independent: i.independent });
    return HttpResponse.json(independenceOf(i));
  }),
  read(`${BASE}/organizations`, () => page(fleet.organizations)),
  change('post', `${BASE}/organizations`, (body) => {
    const id = (body.organizationId as string) ?? (body.name as string).toLowerCase().replace(/[^a-z0-9]+/g, '-');
    if (fleet.organizations.some((o) => o.organizationId === id)) return problem(409, `organization ${id} already exists`);
    const created = organization(id, body.name as string, 0);
    fleet.organizations.push(created);
    fleet.record('organization.created', 'organization', id);
    return HttpResponse.json(created, { status: 201 });
  }),
  read(`${BASE}/organizations/:id`, (_r, { id }) => {
    const found = fleet.organizations.find((o) => o.organizationId === id);
    return found ? HttpResponse.json(found) : problem(404, `organization ${id} not found`);
  }),
  change('put', `${BASE}/organizations/:id`, (body, { id }) => {
    const found = fleet.organizations.find((o) => o.organizationId === id)!;
    Object.assign(found, { name: body.name, location: body.location ?? null });
    fleet.record('organization.updated', 'organization', id);
    return HttpResponse.json(found);
  }),
  change('delete', `${BASE}/organizations/:id`, (_b, { id }) => {
    if (fleet.instances.some((i) => i.organizationId === id)) return problem(409, `organization ${id} still has orchestrators`);
    fleet.organizations = fleet.organizations.filter((o) => o.organizationId !== id);
    fleet.record('organization.deleted', 'organization', id);
    return new HttpResponse(null, { status: 204 });
  }),
  read(`${BASE}/recommendations`, (_r, _p, url) => {
    const status = url.searchParams.get('status');
    const orchestratorId = url.searchParams.get('orchestratorId');
    return page(fleet.recommendations
      .filter((r) => (!status || r.status === status) && (!orchestratorId || r.orchestratorId === orchestratorId))
      .sort((a, b) => Number(b.status === 'PENDING') - Number(a.status === 'PENDING')));
  }),
  change('post', `${BASE}/recommendations/:id/decision`, (body, { id }) => {
    const found = fleet.recommendations.find((r) => r.id === Number(id))!;
    if (found.status !== 'PENDING') return problem(409, `recommendation ${id} was already decided`);
    Object.assign(found, { status: body.decision, decidedBy: 'admin', decidedAt: now(), decisionNote: body.note ?? null });
    fleet.record(`recommendation.${String(body.decision).toLowerCase()}`, 'recommendation', id, { note: body.note });
    return HttpResponse.json(found);
  }),
  read(`${BASE}/enrolments`, () => HttpResponse.json(fleet.enrolments)),
  read(`${BASE}/organizations/:id/enrolment-tokens`, (_r, { id }) =>
    HttpResponse.json(fleet.enrolmentTokens.filter((t) => t.organizationId === id))),
  change('post', `${BASE}/organizations/:id/enrolment-tokens`, (body, { id }) => {
    const tokenId = `et-${String(fleet.enrolmentTokens.length + 1).padStart(12, '0')}`;
    const made: EnrolmentToken = { tokenId, organizationId: id, description: (body.description as string) ?? null,
      autoApprove: body.autoApprove === true, maxUses: (body.maxUses as number) ?? null, uses: 0,
      expiresAt: new Date(Date.now() + (body.expiresInSeconds as number) * 1000).toISOString(), revokedAt: null,
      createdBy: 'admin', createdAt: now() };
    fleet.enrolmentTokens.unshift(made);
    fleet.record('enrolment-token.created', 'enrolment-token', tokenId, { organizationId: id });
    return HttpResponse.json({ enrolmentToken: made, token: `mo_enrolment-token-${tokenId}` }, { status: 201 });
  }),
  change('delete', `${BASE}/organizations/:id/enrolment-tokens/:tokenId`, (_b, { tokenId }) => {
    const found = fleet.enrolmentTokens.find((t) => t.tokenId === tokenId)!;
    found.revokedAt = now();
    fleet.record('enrolment-token.revoked', 'enrolment-token', tokenId);
    return HttpResponse.json(found);
  }),
  change('post', `${BASE}/enrolments/:id/approve`, (body, { id }) => {
    const request = fleet.enrolments.find((r) => r.orchestratorId === id);
    if (!request) return problem(404, `no enrolment request from ${id}`);
    if (body.sessionId !== request.sessionId) return problem(409, `the enrolment request of ${id} changed since it was read`);
    if (!request.keyFingerprint && body.allowTokenless !== true) return problem(400, `${id} sent no enrolment key`);
    const org = fleet.organizations.find((o) => o.organizationId === body.organizationId);
    if (!org) return problem(400, `organization ${body.organizationId} does not exist`);
    const approved = instance(id, org.organizationId, org.name, 'ACTIVE', 'connected', true);
    Object.assign(approved, { name: (body.name as string) ?? request.name ?? id, hasCredential: !!request.keyFingerprint,
      tokenlessAllowed: !request.keyFingerprint });
    fleet.instances.push(approved);
    fleet.enrolments = fleet.enrolments.filter((r) => r.orchestratorId !== id);
    fleet.record('orchestrator.enrolment.approved', 'orchestrator', id, { organizationId: org.organizationId });
    return HttpResponse.json(approved);
  }),
  change('post', `${BASE}/enrolments/:id/reject`, (_b, { id }) => {
    const request = fleet.enrolments.find((r) => r.orchestratorId === id);
    if (!request) return problem(404, `no enrolment request from ${id}`);
    Object.assign(request, { waiting: false, rejectedUntil: new Date(Date.now() + 86_400_000).toISOString() });
    fleet.record('orchestrator.enrolment.rejected', 'orchestrator', id, { until: request.rejectedUntil });
    return HttpResponse.json(request);
  }),
  http.post('/api/v1/events/tickets', ({ request }) => {
    const refused = authorize(request, false);
    if (refused) return refused;
    const ticket = `ticket-${fleet.tickets.length + 1}`;
    fleet.tickets.push(ticket);
    return HttpResponse.json({ ticket, expiresAt: new Date(Date.now() + 30_000).toISOString() });
  }),
  read(`${BASE}/activity`, (_r, _p, url) => {
    const action = url.searchParams.get('action');
    const targetType = url.searchParams.get('targetType');
    return page(fleet.activity.filter((e) => (!action || e.action === action || e.action.startsWith(action + '.'))
      && (!targetType || e.targetType === targetType)));
  }),
];

export const server = setupServer(...handlers);
fleet.reset();
