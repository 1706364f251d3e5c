import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fleet } from '../test/server';
import { renderAt } from '../test/render';

/** The browser's EventSource, driven by the test: control-api's stream as the dashboard hears it. */
class TestEventSource {
  static last: TestEventSource | null = null;
  readonly listeners = new Map<string, Array<() => void>>();
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    TestEventSource.last = this;
  }
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string) {
    this.listeners.get(type)?.forEach((listener) => listener());
  }
  close() {}
}

describe('fleet overview', () => {
  beforeEach(() => {
    fleet.reset();
    vi.stubGlobal('EventSource', TestEventSource);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('counts orchestrators by status and lists each with its liveness', async () => {
    renderAt('/');
    const table = await screen.findByRole('table', { name: 'Orchestrators' });
    expect(await screen.findByTestId('count-ACTIVE')).toHaveTextContent('1');
    expect(screen.getByTestId('count-INACTIVE')).toHaveTextContent('1');
    expect(screen.getByTestId('count-INDEPENDENT')).toHaveTextContent('1');
    const inactive = within(table).getByTestId('row-acme-2');
    expect(within(inactive).getByLabelText('INACTIVE, heartbeat timeout')).toBeInTheDocument();
    expect(inactive).toHaveTextContent(/1\d s ago/);
    expect(inactive).toHaveTextContent('Not connected');
    expect(within(table).getByTestId('row-globex-1')).toHaveTextContent('Independent');
  });

  it('searches and filters', async () => {
    const { user } = renderAt('/');
    await screen.findByTestId('row-acme-1');
    await user.type(screen.getByLabelText('Search'), 'globex');
    expect(await screen.findByTestId('row-globex-1')).toBeInTheDocument();
    await vi.waitFor(() => expect(screen.queryByTestId('row-acme-1')).not.toBeInTheDocument());
    await user.clear(screen.getByLabelText('Search'));
    await user.click(screen.getByRole('combobox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'INACTIVE' }));
    await vi.waitFor(() => expect(screen.queryByTestId('row-acme-1')).not.toBeInTheDocument());
    expect(screen.getByTestId('row-acme-2')).toBeInTheDocument();
  });

  it('shows a status change as soon as the event stream announces it, without a reload', async () => {
    renderAt('/');
    const row = await screen.findByTestId('row-acme-1');
    expect(within(row).getByText('ACTIVE')).toBeInTheDocument();
    expect(TestEventSource.last?.url).toContain('access_token=admin-token');
    act(() => TestEventSource.last!.emit('ready'));
    expect(await screen.findByText('Live')).toBeInTheDocument();

    fleet.instances[0].liveness = { ...fleet.instances[0].liveness, status: 'INACTIVE', reason: 'heartbeat_timeout', connected: false };
    act(() => TestEventSource.last!.emit('liveness'));
    expect(await within(screen.getByTestId('row-acme-1')).findByText('INACTIVE')).toBeInTheDocument();
    expect(screen.getByTestId('count-INACTIVE')).toHaveTextContent('2');
  });

  it('says so when the controller cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn((input: RequestInfo | URL) =>
      String(input).endsWith('/me') ? Promise.resolve(Response.json({ subject: 'admin', role: 'ADMIN' })) : Promise.reject(new TypeError('down'))));
    renderAt('/');
    expect(await screen.findByText(/cannot be reached/i, {}, { timeout: 10000 })).toBeInTheDocument();
  });
});
