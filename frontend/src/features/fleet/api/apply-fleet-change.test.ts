import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Instance, Page } from '../../../api/types';
import { instance } from '../../../test/server';
import { applyFleetChange, applySeen, type FleetChange } from './apply-fleet-change';

const KEY = ['instances', 'fleet', { q: 'acme-1' }];

const page = (...items: Instance[]): Page<Instance> => ({ items, page: 0, size: 50, total: items.length }) as Page<Instance>;

const shown = (client: QueryClient) => (client.getQueryData(KEY) as Page<Instance>).items[0];

function becameActive(): FleetChange {
  const active = instance('acme-1', 'acme', 'Acme Corp', 'ACTIVE', 'connected', true);
  return { orchestrators: [{ orchestratorId: 'acme-1', ...active.liveness }], truncated: false, transitionsStored: false,
    summary: null, others: 0 };
}

describe('putting changes in place', () => {
  afterEach(() => vi.useRealTimers());

  it('leaves a hidden page an admin change marked due to be read again, whatever last-seen updates come meanwhile', async () => {
    vi.useFakeTimers();
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: 2000 } } });
    client.setQueryData(KEY, page(instance('acme-1', 'acme', 'Acme Corp', 'INDEPENDENT', 'independent', false, true)));
    const read = client.getQueryState(KEY)!.dataUpdatedAt;
    // An admin's change, while no page shows it: marked, not read.
    await client.invalidateQueries({ queryKey: ['instances'] });

    vi.advanceTimersByTime(5000);
    applySeen(client, { 'acme-1': new Date().toISOString() });
    applyFleetChange(client, becameActive());

    expect(shown(client).liveness.status).toBe('ACTIVE');
    const state = client.getQueryState(KEY)!;
    expect(state.isInvalidated).toBe(true);
    expect(state.dataUpdatedAt).toBe(read);
  });

  it('puts a change that comes while a page is read on what the read brings', async () => {
    const client = new QueryClient();
    client.setQueryData(KEY, page(instance('acme-1', 'acme', 'Acme Corp', 'INDEPENDENT', 'independent', false, true)));
    let answer: (read: Page<Instance>) => void = () => {};
    const reading = client.fetchQuery({ queryKey: KEY, queryFn: () => new Promise<Page<Instance>>((resolve) => (answer = resolve)) });

    applyFleetChange(client, becameActive());
    expect(shown(client).liveness.status).toBe('ACTIVE');
    // The read left before the change: it brings the orchestrator as it was.
    answer(page(instance('acme-1', 'acme', 'Acme Corp', 'INDEPENDENT', 'independent', false, false)));
    await reading;

    expect(shown(client).liveness.status).toBe('ACTIVE');
    expect(shown(client).independent).toBe(false);
  });

  it('leaves nothing behind when the page being read is dropped (a sign-out)', () => {
    const client = new QueryClient();
    client.setQueryData(KEY, page(instance('acme-1', 'acme', 'Acme Corp', 'INDEPENDENT', 'independent', false, true)));
    void client.fetchQuery({ queryKey: KEY, queryFn: () => new Promise<Page<Instance>>(() => {}) }).catch(() => {});

    applyFleetChange(client, becameActive());
    applySeen(client, { 'acme-1': new Date().toISOString() });
    expect(client.getQueryCache().hasListeners()).toBe(true);
    client.clear();
    expect(client.getQueryCache().hasListeners()).toBe(false);
  });
});
