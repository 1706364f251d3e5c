import { useSyncExternalStore, type CSSProperties, type ReactNode } from 'react';
import { Alert, Badge, Center, Loader, Text } from '@mantine/core';
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

/**
 * The status, and why, in words a screen reader reads too; what the reason means on hover. Drawn
 * as Mantine's light badge, without its component: a fleet page shows hundreds of them.
 */
export function StatusBadge({ status, reason }: { status: Status; reason?: string | null }) {
  const why = reason ? reason.replaceAll('_', ' ') : undefined;
  const meaning = reason ? MEANING[reason] : undefined;
  const color = STATUS_COLORS[status] ?? 'gray';
  return (
    <div
      className={Badge.classes.root}
      data-variant="light"
      aria-label={why ? `${status}, ${why}` : status}
      title={why && (meaning ? `${why}: ${meaning}` : why)}
      style={{
        '--badge-bg': `var(--mantine-color-${color}-light)`,
        '--badge-color': `var(--mantine-color-${color}-light-color)`,
        '--badge-bd': 'calc(0.0625rem * var(--mantine-scale)) solid transparent',
      } as CSSProperties}
    >
      <span className={Badge.classes.label}>{status}</span>
    </div>
  );
}

/**
 * One clock for every relative time on the page, ticking each second while any is shown: times are
 * a second accurate, and a page of hundreds of them has one timer, not one each.
 */
const clock = (() => {
  let now = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  const listeners = new Set<() => void>();
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      if (timer === undefined) {
        now = Date.now();
        timer = setInterval(() => {
          now = Date.now();
          listeners.forEach((notify) => notify());
        }, 1000);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    // When no time was shown for a while, the first one shown reads the time now, not when the clock stopped.
    now: () => (timer === undefined && Date.now() - now >= 1000 ? (now = Date.now()) : now),
  };
})();

export function relative(iso: string, now: number): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** "12 s ago", with the exact time on hover and in the markup. */
export function RelativeTime({ at }: { at: string | null | undefined }) {
  const now = useSyncExternalStore(clock.subscribe, clock.now);
  if (!at) return <Text span c="dimmed">never</Text>;
  return (
    <time dateTime={at} title={new Date(at).toLocaleString()}>
      {relative(at, now)}
    </time>
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
