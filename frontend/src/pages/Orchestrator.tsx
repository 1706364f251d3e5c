import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Anchor, Badge, Button, Card, Code, Group, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  useDeleteInstance,
  useIndependence,
  useInstance,
  useRecommendations,
  useReports,
  useRotateToken,
  useSetIndependence,
  useSetTokenless,
  useTransitions,
  useWindows,
} from '../api/hooks';
import type { Independence, Instance, Report, Window } from '../api/types';
import { useSession } from '../auth';
import { QueryState, RelativeTime, StatusBadge } from '../components/common';
import { ConfirmModal, TokenModal } from '../components/dialogs';
import { RecommendationList } from '../components/Recommendations';

/** A titled card of the orchestrator page. */
function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

/** One orchestrator: liveness, independence, history, metrics and recommendations. */
export function Orchestrator() {
  const { id = '' } = useParams();
  const instance = useInstance(id);
  return (
    <QueryState query={instance} label="the orchestrator">
      {(i) => <OrchestratorView instance={i} />}
    </QueryState>
  );
}

function OrchestratorView({ instance: i }: { instance: Instance }) {
  const { canChange } = useSession();
  const navigate = useNavigate();
  const rotate = useRotateToken();
  const remove = useDeleteInstance();
  const [token, setToken] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Group gap="sm">
            <Title order={1}>{i.name}</Title>
            <StatusBadge status={i.liveness.status} reason={i.liveness.reason} />
          </Group>
          <Text c="dimmed">
            <Code>{i.orchestratorId}</Code> ·{' '}
            <Anchor component={Link} to={`/organizations/${encodeURIComponent(i.organizationId)}`}>
              {i.organizationName}
            </Anchor>
            {i.location ? ` · ${i.location}` : ''}
          </Text>
        </div>
        {canChange && (
          <Group>
            <Button variant="default" onClick={() => setConfirm('rotate')}>
              Rotate token
            </Button>
            <Button color="red" variant="light" onClick={() => setConfirm('delete')}>
              Delete
            </Button>
          </Group>
        )}
      </Group>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title="Liveness">
          <Text>
            {i.liveness.connected ? 'Connected' : 'Not connected'}
            {i.liveness.edgeId ? ` to ${i.liveness.edgeId}` : ''}
          </Text>
          <Text size="sm">
            Last seen: <RelativeTime at={i.liveness.lastSeen} />
          </Text>
          <Text size="sm">
            {i.liveness.status} since <RelativeTime at={i.liveness.since} />
            {i.liveness.reason ? ` (${i.liveness.reason.replaceAll('_', ' ')})` : ''}
          </Text>
        </Section>
        <IndependenceCard id={i.orchestratorId} reason={i.liveness.reason} />
      </SimpleGrid>

      <TokenlessCard instance={i} />

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title="Uptime">
          <UptimeChart id={i.orchestratorId} />
        </Section>
        <Section title="Latest monitoring">
          <Metrics id={i.orchestratorId} />
        </Section>
      </SimpleGrid>

      <Section title="Status history">
        <History id={i.orchestratorId} />
      </Section>

      <Section title="Recommendations">
        <OrchestratorRecommendations id={i.orchestratorId} />
      </Section>

      <ConfirmModal
        opened={confirm === 'rotate'}
        title="Rotate the token?"
        confirmLabel="Rotate token"
        onClose={() => setConfirm(null)}
        onConfirm={async () => setToken((await rotate.mutateAsync(i.orchestratorId)).token)}
      >
        The current token stops working at once: a connected orchestrator is disconnected until it uses the new one.
      </ConfirmModal>
      <ConfirmModal
        opened={confirm === 'delete'}
        title={`Delete ${i.name}?`}
        confirmLabel="Delete orchestrator"
        danger
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          await remove.mutateAsync(i.orchestratorId);
          navigate('/');
        }}
      >
        The orchestrator is disconnected and its token revoked. Its reports and history are kept.
      </ConfirmModal>
      <TokenModal token={token} orchestratorId={i.orchestratorId} onClose={() => setToken(null)} />
    </Stack>
  );
}

/**
 * Where the independence handshake stands: requested until the orchestrator acknowledges
 * independence, or, when taken back, until it reconnects (its status leaves INDEPENDENT and
 * the revocation's INACTIVE).
 */
function progress(state: Independence, reason: string | null): { done: boolean; text: string } {
  if (state.is_independent) {
    return state.acknowledged
      ? { done: true, text: 'Independent: confirmed by the orchestrator' }
      : { done: false, text: 'Independence requested: waiting for the orchestrator' };
  }
  const returning = state.status === 'INDEPENDENT' || (state.status === 'INACTIVE' && reason === 'independence_revoked');
  return returning
    ? { done: false, text: 'Managed again: waiting for the orchestrator to reconnect' }
    : { done: true, text: 'Managed by the controller' };
}

function IndependenceCard({ id, reason }: { id: string; reason: string | null }) {
  const { canChange } = useSession();
  const independence = useIndependence(id);
  const set = useSetIndependence();
  const [pending, setPending] = useState<{ isIndependent: boolean; privacyMode?: boolean } | null>(null);
  return (
    <Section title="Independence">
      <QueryState query={independence} label="independence">
        {(state) => {
          const handshake = progress(state, reason);
          return (
            <Stack gap="xs">
              <Switch
                label="Independence mode"
                description="The orchestrator stops heartbeating, disconnects and runs on its own"
                checked={state.is_independent}
                disabled={!canChange}
                onChange={(e) => setPending({ isIndependent: e.currentTarget.checked })}
              />
              <Switch
                label="Privacy mode"
                description="While independent, share nothing with the controller"
                checked={state.privacy_mode}
                disabled={!canChange}
                onChange={(e) => setPending({ isIndependent: state.is_independent, privacyMode: e.currentTarget.checked })}
              />
              <Group gap="xs" role="status" aria-live="polite" data-testid="independence-progress">
                <Badge color={handshake.done ? 'green' : 'yellow'} variant="dot">
                  {handshake.done ? 'Confirmed' : 'Requested'}
                </Badge>
                <Text size="sm">{handshake.text}</Text>
              </Group>
              <ConfirmModal
                opened={!!pending}
                title={
                  pending?.privacyMode !== undefined
                    ? `${pending.privacyMode ? 'Turn on' : 'Turn off'} privacy mode?`
                    : pending?.isIndependent
                      ? 'Set this orchestrator free?'
                      : 'Bring this orchestrator back under management?'
                }
                confirmLabel="Confirm"
                onClose={() => setPending(null)}
                onConfirm={() => set.mutateAsync({ id, ...pending! })}
              >
                {pending?.isIndependent && pending.privacyMode === undefined
                  ? 'It will stop heartbeating, disconnect gracefully and record independence in its .env.'
                  : 'The orchestrator receives the change through its connection or its next poll.'}
              </ConfirmModal>
            </Stack>
          );
        }}
      </QueryState>
    </Section>
  );
}

/**
 * Whether the seed's tokenless client may connect and poll as this orchestrator. Off by default;
 * allowing it for an orchestrator that holds a token says so, and confirms it explicitly.
 */
function TokenlessCard({ instance: i }: { instance: Instance }) {
  const { canChange } = useSession();
  const set = useSetTokenless();
  const [pending, setPending] = useState<boolean | null>(null);
  return (
    <Section title="Legacy tokenless sessions">
      <Switch
        label="Allow tokenless sessions"
        description="A client without a token may connect and poll as this orchestrator"
        checked={i.tokenlessAllowed}
        disabled={!canChange}
        onChange={(e) => setPending(e.currentTarget.checked)}
      />
      <ConfirmModal
        opened={pending !== null}
        title={pending ? 'Allow tokenless sessions?' : 'Stop tokenless sessions?'}
        confirmLabel={pending ? 'Allow' : 'Stop'}
        danger={!!pending}
        onClose={() => setPending(null)}
        onConfirm={() => set.mutateAsync({ id: i.orchestratorId, allowed: !!pending, evenWithToken: !!pending && i.hasCredential })}
      >
        {!pending
          ? 'Tokenless sessions of this orchestrator are closed at once, and its tokenless client can no longer connect or poll.'
          : i.hasCredential
            ? 'This orchestrator holds a token. Anyone who knows its id could connect as it without that token. Allow it only for a legacy client that cannot send one.'
            : 'Anyone who knows its id could connect as this orchestrator. Allow it only for a legacy client that cannot send a token.'}
      </ConfirmModal>
    </Section>
  );
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function UptimeChart({ id }: { id: string }) {
  const windows = useWindows(id);
  return (
    <QueryState query={windows} label="uptime" empty="No heartbeat window has closed in the last 24 hours (a window lasts an hour by default)." isEmpty={(w) => w.length === 0}>
      {(w: Window[]) => {
        const data = w.map((x) => ({
          at: time(x.start),
          uptime: Math.round((100 * x.secondsActive) / Math.max(1, (Date.parse(x.end) - Date.parse(x.start)) / 1000)),
        }));
        const overall = Math.round(data.reduce((sum, x) => sum + x.uptime, 0) / data.length);
        return (
          <>
            <Text size="sm" mb="xs">
              {overall}% over {data.length} window(s)
            </Text>
            <div style={{ width: '100%', height: 180 }} aria-label={`Uptime per window, ${overall}% on average`} role="img">
              <ResponsiveContainer>
                <BarChart data={data}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="at" />
                  <YAxis domain={[0, 100]} unit="%" />
                  <Tooltip />
                  <Bar dataKey="uptime" fill="#2f9e44" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </>
        );
      }}
    </QueryState>
  );
}

/** The numbers of a report, flattened one level. */
function numbers(report: Report): Record<string, number> {
  return Object.fromEntries(Object.entries(report.data).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
}

const LINE_COLORS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9'];

function Metrics({ id }: { id: string }) {
  const reports = useReports(id);
  return (
    <QueryState query={reports} label="monitoring" empty="No monitoring reports yet." isEmpty={(p) => p.items.length === 0}>
      {(page) => {
        const latest = page.items[0];
        const series = [...page.items].reverse().map((r) => ({ at: time(r.producedAt), ...numbers(r) }));
        const percentages = Object.keys(numbers(latest)).filter((k) => k.endsWith('_pct'));
        return (
          <>
            <Table aria-label="Latest monitoring report">
              <Table.Tbody>
                {Object.entries(latest.data).map(([key, value]) => (
                  <Table.Tr key={key}>
                    <Table.Th scope="row">{key}</Table.Th>
                    <Table.Td>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed" mt="xs">
              Produced <RelativeTime at={latest.producedAt} />
            </Text>
            {percentages.length > 0 && (
              <div style={{ width: '100%', height: 180 }} role="img" aria-label={`Trend of ${percentages.join(', ')}`}>
                <ResponsiveContainer>
                  <LineChart data={series}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="at" />
                    <YAxis domain={[0, 100]} unit="%" />
                    <Tooltip />
                    <Legend />
                    {percentages.map((key, n) => (
                      <Line key={key} dataKey={key} stroke={LINE_COLORS[n % LINE_COLORS.length]} dot={false} isAnimationActive={false} />
                    ))}
                  </LineChart>
                </ResponsiveContainer>
              </div>
            )}
          </>
        );
      }}
    </QueryState>
  );
}

function History({ id }: { id: string }) {
  const transitions = useTransitions(id);
  return (
    <QueryState query={transitions} label="status history" empty="No status changes yet." isEmpty={(p) => p.items.length === 0}>
      {(page) => (
        <Table aria-label="Status history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>To</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.items.map((t, n) => (
              <Table.Tr key={`${t.at}-${n}`}>
                <Table.Td>
                  <RelativeTime at={t.at} />
                </Table.Td>
                <Table.Td>{t.from ?? '—'}</Table.Td>
                <Table.Td>
                  <StatusBadge status={t.to} />
                </Table.Td>
                <Table.Td>{t.reason.replaceAll('_', ' ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QueryState>
  );
}

function OrchestratorRecommendations({ id }: { id: string }) {
  const recommendations = useRecommendations({ orchestratorId: id });
  return (
    <QueryState query={recommendations} label="recommendations" empty="No recommendations yet." isEmpty={(p) => p.items.length === 0}>
      {(page) => <RecommendationList recommendations={page.items} />}
    </QueryState>
  );
}
