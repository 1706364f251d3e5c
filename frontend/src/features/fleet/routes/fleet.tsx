import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Group, NativeSelect, Pagination, Paper, SimpleGrid, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useOrganizations } from '../../../api/hooks';
import { STATUSES, type Status } from '../../../api/types';
import { useSession } from '../../../auth';
import { QueryState } from '../../../components/common';
import { NewOrchestratorButton } from '../../../pages/NewOrchestrator';
import { PAGE_SIZES, useFleetPage, useSummary, type FleetView } from '../api/fleet';
import { InstanceTable } from '../components/fleet-table';
import { useFleetView } from '../hooks/use-fleet-view';

const count = new Intl.NumberFormat('en');

/** A filter's choices, "Any" (no filter) first. */
const ANY = { value: '', label: 'Any' };

/** A yes/no filter's choices, and the value each one means. */
function flagChoices(yes: string, no: string) {
  return [
    ANY,
    { value: 'true', label: yes },
    { value: 'false', label: no },
  ];
}

const flagValue = (flag: boolean | null) => (flag === null ? '' : String(flag));
const flagOf = (value: string) => (value === '' ? null : value === 'true');

/** Counts by status, from control-api's summary (live events replace it, and only this re-renders). */
function StatusCounts() {
  const summary = useSummary();
  return (
    <SimpleGrid cols={{ base: 2, sm: 5 }} mb="lg" role="list" aria-label="Orchestrators by status">
      {STATUSES.map((s) => (
        <Paper key={s} withBorder p="md" role="listitem" aria-label={`${s}: ${summary.data?.counts[s] ?? 0}`}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {s}
          </Text>
          <Text size="xl" fw={700} data-testid={`count-${s}`}>
            {count.format(summary.data?.counts[s] ?? 0)}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

type ViewChange = Partial<FleetView>;

/**
 * The view's page of orchestrators, its range and the paging: what live changes re-render, the
 * filters above it untouched.
 */
function FleetResults({ view, change }: { view: FleetView; change: (next: ViewChange) => void }) {
  const page = useFleetPage(view);
  const total = page.data?.total ?? 0;
  const from = view.page * view.size;
  return (
    <>
      <QueryState query={page} label="orchestrators" empty="No orchestrators match." isEmpty={(p) => p.items.length === 0}>
        {(p) => (
          <InstanceTable
            instances={p.items}
            sorting={{ sort: view.sort, direction: view.direction, onSort: (sort, direction) => change({ sort, direction }) }}
          />
        )}
      </QueryState>
      <Group justify="space-between" mt="md">
        <Text size="sm" data-testid="fleet-range" aria-live="polite">
          {page.data && total > 0 && `${count.format(from + 1)}–${count.format(Math.min(from + view.size, total))} of ${count.format(total)}`}
        </Text>
        <Group>
          <NativeSelect
            label="Per page"
            w={100}
            data={PAGE_SIZES.map(String)}
            value={String(view.size)}
            onChange={(e) => change({ size: Number(e.currentTarget.value) })}
          />
          <Pagination
            total={Math.max(1, Math.ceil(total / view.size))}
            value={view.page + 1}
            onChange={(p) => change({ page: p - 1 })}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
          />
        </Group>
      </Group>
    </>
  );
}

/**
 * The fleet: counts by status from control-api's summary, and the orchestrators a page at a time,
 * paged, sorted and filtered by control-api, the view in the URL.
 */
export function Fleet() {
  const { canChange } = useSession();
  const [view, changeView] = useFleetView();
  const [search, setSearch] = useState(view.q);
  // A search goes to the URL, and so to control-api, once the typing pauses.
  const searchFor = useDebouncedCallback((q: string) => changeView({ q }), 250);
  /** Any other change takes the search as typed along, rather than waiting for it. */
  const change = (next: ViewChange) => {
    searchFor.cancel();
    changeView({ q: search, ...next });
  };
  const organizations = useOrganizations();
  const navigate = useNavigate();

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={1}>Fleet</Title>
        {canChange && <NewOrchestratorButton onCreated={(id) => navigate(`/orchestrators/${id}`)} />}
      </Group>
      <StatusCounts />
      <Group mb="md" align="flex-end">
        <TextInput label="Search" placeholder="id, name or organization" value={search} onChange={(e) => {
            setSearch(e.currentTarget.value);
            searchFor(e.currentTarget.value);
          }}
        />
        <NativeSelect
          label="Status"
          data={[ANY, ...STATUSES]}
          value={view.status ?? ''}
          onChange={(e) => change({ status: (e.currentTarget.value || null) as Status | null })}
        />
        <NativeSelect
          label="Organization"
          data={[ANY, ...(organizations.data?.items ?? []).map((o) => ({ value: o.organizationId, label: o.name }))]}
          value={view.organizationId ?? ''}
          onChange={(e) => change({ organizationId: e.currentTarget.value || null })}
        />
        <NativeSelect
          label="Connection"
          data={flagChoices('Connected', 'Not connected')}
          value={flagValue(view.connected)}
          onChange={(e) => change({ connected: flagOf(e.currentTarget.value) })}
        />
        <NativeSelect
          label="Independence"
          data={flagChoices('Independent', 'Managed')}
          value={flagValue(view.independent)}
          onChange={(e) => change({ independent: flagOf(e.currentTarget.value) })}
        />
      </Group>
      <FleetResults view={view} change={change} />
    </>
  );
}
