import { memo, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Anchor, Table, Text, UnstyledButton } from '@mantine/core';
import type { Instance } from '../../../api/types';
import { RelativeTime, StatusBadge } from '../../../components/common';
import type { Direction, Sort } from '../api/fleet';

/** Each row's height in pixels: fixed, so that a long page can be rendered a window at a time. */
const ROW_HEIGHT = 58;
/** From this many rows on, only those in view (and a few around them) are rendered. */
export const VIRTUAL_FROM = 100;
const OVERSCAN = 10;
/** Rows rendered when the container's height is not known (before layout, or without one). */
const UNMEASURED = 20;

export interface Sorting {
  sort: Sort;
  direction: Direction;
  onSort: (sort: Sort, direction: Direction) => void;
}

/** A header that sorts by its column: again to reverse the order; says which way to screen readers. */
function SortableHeader({ label, column, sorting }: { label: string; column: Sort; sorting?: Sorting }) {
  if (!sorting) return <Table.Th>{label}</Table.Th>;
  const active = sorting.sort === column;
  const next: Direction = active && sorting.direction === 'asc' ? 'desc' : 'asc';
  return (
    <Table.Th aria-sort={active ? (sorting.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton fw={700} fz="sm" onClick={() => sorting.onSort(column, next)}>
        {label}
        {active ? (sorting.direction === 'asc' ? ' ▲' : ' ▼') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

/** Mantine's link and dimmed small text, as classes: a page shows hundreds of them. */
const LINK = { className: `${Anchor.classes.root} ${Text.classes.root}`, 'data-underline': 'always' };
const DIMMED: CSSProperties = {
  ['--text-fz' as string]: 'var(--mantine-font-size-xs)',
  ['--text-lh' as string]: 'var(--mantine-line-height-xs)',
  color: 'var(--mantine-color-dimmed)',
};

/**
 * One orchestrator: rendered again only when it changed (a live change replaces its row's
 * instance, and only its). Plain elements with Mantine's table classes, not its components: a long
 * page renders hundreds of cells, and the first page's time to its rows is mostly this work.
 */
const Row = memo(function Row({ i, index }: { i: Instance; index: number }) {
  const td = Table.classes.td;
  return (
    <tr
      className={Table.classes.tr}
      data-with-row-border="true"
      data-striped="odd"
      data-hover="true"
      data-testid={`row-${i.orchestratorId}`}
      aria-rowindex={index + 2}
      style={{ height: ROW_HEIGHT }}
    >
      <td className={td}>
        <Link {...LINK} to={`/orchestrators/${encodeURIComponent(i.orchestratorId)}`}>
          {i.name}
        </Link>
        <p className={Text.classes.root} data-size="xs" style={DIMMED}>
          {i.orchestratorId}
        </p>
      </td>
      <td className={td}>
        <StatusBadge status={i.liveness.status} reason={i.liveness.reason} />
      </td>
      <td className={td}>
        <RelativeTime at={i.liveness.lastSeen} />
      </td>
      <td className={td}>{i.liveness.connected ? 'Connected' : 'Not connected'}</td>
      <td className={td}>{i.independent ? (i.privacyMode ? 'Independent, private' : 'Independent') : 'Managed'}</td>
      <td className={td}>
        <Link {...LINK} to={`/organizations/${encodeURIComponent(i.organizationId)}`}>
          {i.organizationName}
        </Link>
      </td>
    </tr>
  );
});

/** A spacer standing for rows not rendered, so that the scroll bar is the whole page's. */
const Spacer = ({ rows }: { rows: number }) =>
  rows > 0 ? <tr aria-hidden="true" style={{ height: rows * ROW_HEIGHT }} /> : null;

/**
 * Orchestrators with their liveness. With `sorting`, the Orchestrator, Status, Last seen and
 * Organization headers sort. A page of {@link VIRTUAL_FROM} rows or more scrolls within the table,
 * and only the rows in view are in the document.
 */
export function InstanceTable({ instances, sorting }: { instances: Instance[]; sorting?: Sorting }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);
  const virtual = instances.length >= VIRTUAL_FROM;
  useLayoutEffect(() => {
    if (virtual && scroller.current) setHeight(scroller.current.clientHeight);
  }, [virtual]);
  const first = virtual ? Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN) : 0;
  const shown = virtual ? (height > 0 ? Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN : UNMEASURED) : instances.length;
  const last = Math.min(instances.length, first + shown);

  const table: ReactNode = (
    <Table striped highlightOnHover stickyHeader={virtual} aria-label="Orchestrators" aria-rowcount={instances.length + 1}>
      <Table.Thead>
        <Table.Tr>
          <SortableHeader label="Orchestrator" column="orchestratorId" sorting={sorting} />
          <SortableHeader label="Status" column="status" sorting={sorting} />
          <SortableHeader label="Last seen" column="lastSeen" sorting={sorting} />
          <Table.Th>Connected</Table.Th>
          <Table.Th>Independence</Table.Th>
          <SortableHeader label="Organization" column="organizationId" sorting={sorting} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        <Spacer rows={first} />
        {instances.slice(first, last).map((i, n) => (
          <Row key={i.orchestratorId} i={i} index={first + n} />
        ))}
        <Spacer rows={instances.length - last} />
      </Table.Tbody>
    </Table>
  );
  if (!virtual) return table;
  return (
    <div
      ref={scroller}
      data-testid="fleet-scroller"
      style={{ maxHeight: '70vh', overflowY: 'auto' }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      {table}
    </div>
  );
}
