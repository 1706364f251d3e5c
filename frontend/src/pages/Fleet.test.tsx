import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TestEventSource } from '../test/event-source';
import { ADMIN_TOKEN, fleet } from '../test/server';
import { renderAt } from '../test/render';

describe('fleet overview', () => {
  beforeEach(() => {
    fleet.reset();
    TestEventSource.opened = [];
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
    await vi.waitFor(() => expect(TestEventSource.last?.url).toBe('/api/v1/events?ticket=ticket-1'));
    act(() => TestEventSource.last!.emit('ready'));
    expect(await screen.findByText('Live')).toBeInTheDocument();

    fleet.instances[0].liveness = { ...fleet.instances[0].liveness, status: 'INACTIVE', reason: 'heartbeat_timeout', connected: false };
    act(() => TestEventSource.last!.emit('liveness'));
    expect(await within(screen.getByTestId('row-acme-1')).findByText('INACTIVE')).toBeInTheDocument();
    expect(screen.getByTestId('count-INACTIVE')).toHaveTextContent('2');
  });

  it('opens the event stream with a ticket and never puts the token in a URL', async () => {
    renderAt('/');
    await vi.waitFor(() => expect(TestEventSource.opened).toHaveLength(1));
    expect(fleet.tickets).toEqual(['ticket-1']);
    expect(TestEventSource.last!.url).not.toContain(ADMIN_TOKEN);
    expect(TestEventSource.last!.url).not.toContain('access_token');
  });

  it('stays live when the server ends the stream, reconnecting with a fresh ticket', async () => {
    renderAt('/');
    await vi.waitFor(() => expect(TestEventSource.opened).toHaveLength(1));
    const first = TestEventSource.last!;
    act(() => first.emit('ready'));
    expect(await screen.findByText('Live')).toBeInTheDocument();

    act(() => first.end());
    expect(await screen.findByText('Offline')).toBeInTheDocument();
    expect(first.closed).toBe(true);
    await vi.waitFor(() => expect(TestEventSource.opened).toHaveLength(2), { timeout: 3000 });
    expect(TestEventSource.last!.url).toBe('/api/v1/events?ticket=ticket-2');
    act(() => TestEventSource.last!.emit('ready'));
    expect(await screen.findByText('Live')).toBeInTheDocument();

    fleet.instances[0].liveness = { ...fleet.instances[0].liveness, status: 'INACTIVE', reason: 'heartbeat_timeout', connected: false };
    act(() => TestEventSource.last!.emit('liveness'));
    expect(await within(screen.getByTestId('row-acme-1')).findByText('INACTIVE')).toBeInTheDocument();
  });

  it('says so when the controller cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn((input: RequestInfo | URL) =>
      String(input).endsWith('/me') ? Promise.resolve(Response.json({ subject: 'admin', role: 'ADMIN' })) : Promise.reject(new TypeError('down'))));
    renderAt('/');
    expect(await screen.findByText(/cannot be reached/i, {}, { timeout: 10000 })).toBeInTheDocument();
  });
});
