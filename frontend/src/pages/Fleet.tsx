import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Anchor, Group, Paper, Select, SimpleGrid, Table, Text, TextInput, Title } from '@mantine/core';
import { useInstances, useLive, useOrganizations } from '../api/hooks';
import { STATUSES, type Instance, type Status } from '../api/types';
import { useSession } from '../auth';
import { QueryState, RelativeTime, StatusBadge } from '../components/common';
import { NewOrchestratorButton } from './NewOrchestrator';

/** The status filter, kept in the URL (`/?status=UNKNOWN`) so that it can be linked to. */
function useStatusFilter(): [Status | null, (status: Status | null) => void] {
  const [params, setParams] = useSearchParams();
  const asked = params.get('status');
  const status = STATUSES.find((s) => s === asked) ?? null;
  const setStatus = (next: Status | null) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set('status', next);
        else updated.delete('status');
        return updated;
      },
      { replace: true },
    );
  return [status, setStatus];
}

/** Counts by status, and every orchestrator with its liveness, live. */
export function Fleet() {
  const { canChange } = useSession();
  const [q, setQ] = useState('');
  const [status, setStatus] = useStatusFilter();
  const [organizationId, setOrganizationId] = useState<string | null>(null);
  const live = useLive();
  const organizations = useOrganizations();
  const instances = useInstances({ q: q.trim(), status, organizationId });
  const navigate = useNavigate();

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={1}>Fleet</Title>
        {canChange && <NewOrchestratorButton onCreated={(id) => navigate(`/orchestrators/${id}`)} />}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 5 }} mb="lg" role="list" aria-label="Orchestrators by status">
        {STATUSES.map((s) => (
          <Paper key={s} withBorder p="md" role="listitem" aria-label={`${s}: ${live.data?.counts[s] ?? 0}`}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {s}
            </Text>
            <Text size="xl" fw={700} data-testid={`count-${s}`}>
              {live.data?.counts[s] ?? 0}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Group mb="md" align="flex-end">
        <TextInput label="Search" placeholder="id, name or organization" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        <Select label="Status" placeholder="Any" clearable data={STATUSES} value={status} onChange={(v) => setStatus(v as Status | null)} />
        <Select
          label="Organization"
          placeholder="Any"
          clearable
          searchable
          data={(organizations.data?.items ?? []).map((o) => ({ value: o.organizationId, label: o.name }))}
          value={organizationId}
          onChange={setOrganizationId}
        />
      </Group>
      <QueryState query={instances} label="orchestrators" empty="No orchestrators match." isEmpty={(page) => page.items.length === 0}>
        {(page) => <InstanceTable instances={page.items} />}
      </QueryState>
    </>
  );
}

export function InstanceTable({ instances }: { instances: Instance[] }) {
  return (
    <Table striped highlightOnHover aria-label="Orchestrators">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Orchestrator</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Last seen</Table.Th>
          <Table.Th>Connected</Table.Th>
          <Table.Th>Independence</Table.Th>
          <Table.Th>Organization</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {instances.map((i) => (
          <Table.Tr key={i.orchestratorId} data-testid={`row-${i.orchestratorId}`}>
            <Table.Td>
              <Anchor component={Link} to={`/orchestrators/${encodeURIComponent(i.orchestratorId)}`}>
                {i.name}
              </Anchor>
              <Text size="xs" c="dimmed">
                {i.orchestratorId}
              </Text>
            </Table.Td>
            <Table.Td>
              <StatusBadge status={i.liveness.status} reason={i.liveness.reason} />
            </Table.Td>
            <Table.Td>
              <RelativeTime at={i.liveness.lastSeen} />
            </Table.Td>
            <Table.Td>{i.liveness.connected ? 'Connected' : 'Not connected'}</Table.Td>
            <Table.Td>{i.independent ? (i.privacyMode ? 'Independent, private' : 'Independent') : 'Managed'}</Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/organizations/${encodeURIComponent(i.organizationId)}`}>
                {i.organizationName}
              </Anchor>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
