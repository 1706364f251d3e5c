import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Badge, Center, Loader, Text, Tooltip } from '@mantine/core';
import type { Status } from '../api/types';

/** A colour of its own for each status. */
const STATUS_COLORS: Record<Status, string> = {
  ACTIVE: 'green',
  INACTIVE: 'red',
  UNKNOWN: 'orange',
  INDEPENDENT: 'violet',
  PENDING: 'gray',
};

/** What a reason means where its name alone could be read as "dead". */
const MEANING: Record<string, string> = {
  edge_lost: 'its edge cannot be heard, so it may still be running',
  edge_cannot_publish: 'its edge says it cannot pass on what it receives, so it may still be running',
};

/** The status, and why, in words a screen reader reads too. */
export function StatusBadge({ status, reason }: { status: Status; reason?: string | null }) {
  const why = reason ? reason.replaceAll('_', ' ') : undefined;
  const meaning = reason ? MEANING[reason] : undefined;
  return (
    <Tooltip label={meaning ? `${why}: ${meaning}` : why} disabled={!why} multiline maw={320}>
      <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light" aria-label={why ? `${status}, ${why}` : status}>
        {status}
      </Badge>
    </Tooltip>
  );
}

/** Re-renders every few seconds, for relative times. */
function useNow(everyMs = 5000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function relative(iso: string, now: number): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** "12 s ago", with the exact time on hover and in the markup. */
export function RelativeTime({ at }: { at: string | null | undefined }) {
  const now = useNow();
  if (!at) return <Text span c="dimmed">never</Text>;
  return (
    <Tooltip label={new Date(at).toLocaleString()}>
      <time dateTime={at}>{relative(at, now)}</time>
    </Tooltip>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <Center py="xl" role="status" aria-label={label}>
      <Loader size="sm" />
    </Center>
  );
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" title="Something went wrong" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" ta="center" py="lg">
      {children}
    </Text>
  );
}

/** The loading, error and empty states around a query's content. */
export function QueryState<T>({
  query,
  label,
  empty,
  isEmpty,
  children,
}: {
  query: { data?: T; error: unknown; isPending: boolean };
  label: string;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={`Loading ${label}`} />;
  if (query.data === undefined) return <ErrorMessage error={query.error} />;
  return (
    <>
      <ErrorMessage error={query.error} />
      {empty && isEmpty?.(query.data) ? <Empty>{empty}</Empty> : children(query.data)}
    </>
  );
}
