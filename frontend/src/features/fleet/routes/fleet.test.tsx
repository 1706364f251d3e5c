import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STATUSES, type Status } from '../../../api/types';
import { TestEventSource } from '../../../test/event-source';
import { ADMIN_TOKEN, fleet, fleetChange, instance } from '../../../test/server';
import { renderAt } from '../../../test/render';
import { LAST_SEEN_ORDER_EVERY } from '../api/fleet';

/** Every orchestrator: the fleet page's first page shows them all. */
const everyId = () => fleet.instances.map((i) => i.orchestratorId);

/** An orchestrator's status changes now, as liveness-stream would have it. */
function changeNow(id: string, status: Status, reason: string) {
  const changed = fleet.instances.find((i) => i.orchestratorId === id)!;
  changed.liveness = { ...changed.liveness, status, reason, since: new Date().toISOString() };
}

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

  it('shows an orchestrator whose edge cannot be heard as UNKNOWN, in a colour no other status has', async () => {
    fleet.instances.push(
      instance('acme-3', 'acme', 'Acme Corp', 'UNKNOWN', 'edge_lost', true),
      instance('globex-2', 'globex', 'Globex', 'PENDING', 'registered', false),
    );
    renderAt('/');
    const table = await screen.findByRole('table', { name: 'Orchestrators' });
    await vi.waitFor(() => expect(screen.getByTestId('count-UNKNOWN')).toHaveTextContent('1'));
    expect(screen.getByRole('listitem', { name: 'UNKNOWN: 1' })).toBeInTheDocument();

    const unknown = within(within(table).getByTestId('row-acme-3')).getByLabelText('UNKNOWN, edge lost');
    expect(unknown).toHaveTextContent('UNKNOWN');
    const colours = STATUSES.map((status) => within(table).getByLabelText(new RegExp(`^${status},`)).getAttribute('style'));
    expect(new Set(colours).size).toBe(STATUSES.length);
    expect(unknown.getAttribute('style')).toContain('orange');

    // What it means, on hover (the browser's own tooltip: no positioning work per row).
    expect(unknown).toHaveAttribute('title', 'edge lost: its edge cannot be heard, so it may still be running');
  });

  it('filters by UNKNOWN, and opens filtered from a link', async () => {
    fleet.instances.push(instance('acme-3', 'acme', 'Acme Corp', 'UNKNOWN', 'edge_cannot_publish', true));
    const { user } = renderAt('/?status=UNKNOWN');
    expect(await screen.findByTestId('row-acme-3')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('UNKNOWN');
    expect(screen.queryByTestId('row-acme-1')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('row-acme-3')).getByLabelText('UNKNOWN, edge cannot publish')).toBeInTheDocument();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'ACTIVE');
    expect(await screen.findByTestId('row-acme-1')).toBeInTheDocument();
    await vi.waitFor(() => expect(screen.queryByTestId('row-acme-3')).not.toBeInTheDocument());
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'UNKNOWN');
    expect(await screen.findByTestId('row-acme-3')).toBeInTheDocument();
    await vi.waitFor(() => expect(screen.queryByTestId('row-acme-1')).not.toBeInTheDocument());
  });

  it('warns on every page once more than a tenth of the fleet changed status within a minute, and links to where most went', async () => {
    for (let n = 3; n <= 19; n++) fleet.instances.push(instance(`acme-${n}`, 'acme', 'Acme Corp', 'ACTIVE', 'heartbeat', true));
    changeNow('acme-3', 'ACTIVE', 'connected');
    changeNow('acme-4', 'ACTIVE', 'connected');
    const { user } = renderAt('/');
    await vi.waitFor(() => expect(screen.getByTestId('count-ACTIVE')).toHaveTextContent('18'));
    expect(screen.queryByRole('alert', { name: 'Mass status change' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'Recommendations' }));
    expect(await screen.findByRole('heading', { name: 'Recommendations' })).toBeInTheDocument();
    // No orchestrator shown: the stream watches none, and the summary still comes.
    await TestEventSource.watching([]);
    act(() => TestEventSource.last!.emit('ready'));
    changeNow('acme-5', 'UNKNOWN', 'edge_lost');
    changeNow('acme-6', 'UNKNOWN', 'edge_lost');
    changeNow('acme-7', 'UNKNOWN', 'edge_lost');
    changeNow('acme-8', 'INACTIVE', 'heartbeat_timeout');
    act(() => TestEventSource.last!.emit('fleet', fleetChange(['acme-5', 'acme-6', 'acme-7', 'acme-8'])));

    const banner = await screen.findByRole('alert', { name: 'Mass status change' });
    expect(banner).toHaveTextContent(
      '6 orchestrators (30%) changed status in the last minute — 3 are UNKNOWN: their edge cannot be heard.',
    );
    await user.click(within(banner).getByRole('link', { name: 'Show the UNKNOWN orchestrators' }));
    expect(await screen.findByRole('heading', { name: 'Fleet' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('UNKNOWN');
    await vi.waitFor(() => expect(screen.queryByTestId('row-acme-1')).not.toBeInTheDocument());
    expect(screen.getAllByRole('row').slice(1).map((row) => row.dataset.testid)).toEqual(['row-acme-5', 'row-acme-6', 'row-acme-7']);
  });

  it('searches and filters', async () => {
    const { user } = renderAt('/');
    await screen.findByTestId('row-acme-1');
    await user.type(screen.getByLabelText('Search'), 'globex');
    expect(await screen.findByTestId('row-globex-1')).toBeInTheDocument();
    await vi.waitFor(() => expect(screen.queryByTestId('row-acme-1')).not.toBeInTheDocument());
    await user.clear(screen.getByLabelText('Search'));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'INACTIVE');
    await vi.waitFor(() => expect(screen.queryByTestId('row-acme-1')).not.toBeInTheDocument());
    expect(screen.getByTestId('row-acme-2')).toBeInTheDocument();
  });

  it('shows a status change as soon as the event stream announces it, without a reload', async () => {
    renderAt('/');
    const row = await screen.findByTestId('row-acme-1');
    expect(within(row).getByText('ACTIVE')).toBeInTheDocument();
    const stream = await TestEventSource.watching(everyId());
    expect(stream.url).toMatch(/^\/api\/v1\/events\?ticket=ticket-\d+&watch=/);
    act(() => TestEventSource.last!.emit('ready'));
    expect(await screen.findByText('Live')).toBeInTheDocument();

    fleet.instances[0].liveness = { ...fleet.instances[0].liveness, status: 'INACTIVE', reason: 'heartbeat_timeout', connected: false };
    act(() => TestEventSource.last!.emit('fleet', fleetChange(['acme-1'])));
    expect(await within(screen.getByTestId('row-acme-1')).findByText('INACTIVE')).toBeInTheDocument();
    expect(screen.getByTestId('count-INACTIVE')).toHaveTextContent('2');
  });

  it('applies the fleet event in place, reading neither the list nor the counts again', async () => {
    renderAt('/');
    await screen.findByTestId('row-acme-1');
    await TestEventSource.watching(everyId());
    const beforeTheStream = fleet.listed.length;
    act(() => TestEventSource.last!.emit('ready', {}, 'e1-1'));
    // What changed between the first read and the stream's start is read again, once.
    await vi.waitFor(() => expect(fleet.listed.length).toBe(beforeTheStream + 1));
    const listed = fleet.listed.length;

    fleet.instances[0].liveness = { ...fleet.instances[0].liveness, status: 'UNKNOWN', reason: 'edge_lost' };
    fleet.instances[1].liveness = { ...fleet.instances[1].liveness, status: 'ACTIVE', reason: 'heartbeat', connected: true };
    act(() => TestEventSource.last!.emit('fleet', fleetChange(['acme-1', 'acme-2']), 'e1-2'));

    expect(await within(screen.getByTestId('row-acme-2')).findByText('ACTIVE')).toBeInTheDocument();
    expect(within(screen.getByTestId('row-acme-2')).getByText('Connected')).toBeInTheDocument();
    expect(within(screen.getByTestId('row-acme-1')).getByText('UNKNOWN')).toBeInTheDocument();
    expect(screen.getByTestId('count-UNKNOWN')).toHaveTextContent('1');
    expect(screen.getByTestId('count-INACTIVE')).toHaveTextContent('0');
    expect(fleet.listed.length).toBe(listed);
  });

  it('reads a page again when a change may move rows into it: one filtered by status', async () => {
    renderAt('/?status=INACTIVE');
    await screen.findByTestId('row-acme-2');
    await vi.waitFor(() => expect(TestEventSource.opened).toHaveLength(1));
    act(() => TestEventSource.last!.emit('ready', {}, 'e1-1'));

    fleet.instances[0].liveness = { ...fleet.instances[0].liveness, status: 'INACTIVE', reason: 'heartbeat_timeout' };
    act(() => TestEventSource.last!.emit('fleet', fleetChange(['acme-1']), 'e1-2'));
    expect(await screen.findByTestId('row-acme-1')).toBeInTheDocument();
  });

  it('watches the rows of a page filtered by status, and reads it again when the stream counts changes of others', async () => {
    renderAt('/?status=INACTIVE');
    await screen.findByTestId('row-acme-2');
    const stream = await TestEventSource.watching(['acme-2']);
    act(() => stream.emit('ready', {}, 'e1-1'));

    // acme-1 became INACTIVE: a change the stream does not carry, only counts.
    changeNow('acme-1', 'INACTIVE', 'heartbeat_timeout');
    act(() => stream.emit('fleet', { ...fleetChange([]), others: 1 }, 'e1-2'));
    expect(await screen.findByTestId('row-acme-1')).toBeInTheDocument();
    // The page shows acme-1 now: a stream watching it too resumes after the last event seen.
    const next = await TestEventSource.watching(['acme-1', 'acme-2']);
    expect(next.url).toContain('lastEventId=e1-2');
    expect(stream.closed).toBe(true);
  });

  it('resumes after the last event it saw when it reconnects, and reads everything again on reset', async () => {
    renderAt('/');
    await screen.findByTestId('row-acme-1');
    const first = await TestEventSource.watching(everyId());
    const streams = TestEventSource.opened.length;
    act(() => first.emit('ready', {}, 'a1b2c3d4-7'));
    act(() => first.emit('fleet', fleetChange([]), 'a1b2c3d4-9'));

    act(() => first.end());
    await vi.waitFor(() => expect(TestEventSource.opened).toHaveLength(streams + 1), { timeout: 3000 });
    expect(TestEventSource.last!.url).toMatch(/ticket=ticket-\d+&lastEventId=a1b2c3d4-9&watch=/);
    expect(TestEventSource.last!.url).toContain(TestEventSource.watchParam(everyId()));

    const listed = fleet.listed.length;
    fleet.instances[0].liveness = { ...fleet.instances[0].liveness, status: 'INACTIVE', reason: 'heartbeat_timeout' };
    act(() => TestEventSource.last!.emit('reset', { reason: 'the events since a1b2c3d4-9 are not kept here' }));
    expect(await within(screen.getByTestId('row-acme-1')).findByText('INACTIVE')).toBeInTheDocument();
    expect(fleet.listed.length).toBeGreaterThan(listed);
  });

  it('watches what the page shows, and for a new page opens a stream for it and reads it again once ready', async () => {
    const { user } = renderAt('/');
    const fleetStream = await TestEventSource.watching(everyId());
    act(() => fleetStream.emit('ready'));

    await user.click(within(await screen.findByTestId('row-acme-2')).getByRole('link', { name: 'ACME-2' }));
    const orchestratorStream = await TestEventSource.watching(['acme-2']);
    expect(fleetStream.closed).toBe(true);
    const read = fleet.readOne.length;
    act(() => orchestratorStream.emit('ready'));
    await vi.waitFor(() => expect(fleet.readOne.length).toBeGreaterThan(read));
  });

  it('shows last seen to the second, as the stream says each second who it watches was heard', async () => {
    renderAt('/');
    await screen.findByTestId('row-acme-1');
    const stream = await TestEventSource.watching(everyId());
    const listed = fleet.listed.length;
    act(() => stream.emit('ready'));
    // The page read again once the stream is ready, as control-api has it (seen 12 s ago here).
    await vi.waitFor(() => expect(fleet.listed.length).toBe(listed + 1));
    expect(await within(screen.getByTestId('row-acme-1')).findByText(/^1[23] s ago$/)).toBeInTheDocument();

    act(() => stream.emit('seen', { lastSeen: { 'acme-1': new Date(Date.now() - 3000).toISOString() } }));
    expect(await within(screen.getByTestId('row-acme-1')).findByText(/^[34] s ago$/)).toBeInTheDocument();
  });

  it('opens the event stream with a ticket and never puts the token in a URL', async () => {
    renderAt('/');
    await TestEventSource.watching(everyId());
    expect(fleet.tickets).toEqual(['ticket-1']);
    expect(TestEventSource.opened).toHaveLength(1);
    expect(TestEventSource.last!.url).not.toContain(ADMIN_TOKEN);
    expect(TestEventSource.last!.url).not.toContain('access_token');
  });

  it('stays live when the server ends the stream, reconnecting with a fresh ticket', async () => {
    renderAt('/');
    const first = await TestEventSource.watching(everyId());
    const streams = TestEventSource.opened.length;
    act(() => first.emit('ready'));
    expect(await screen.findByText('Live')).toBeInTheDocument();

    act(() => first.end());
    expect(await screen.findByText('Offline')).toBeInTheDocument();
    expect(first.closed).toBe(true);
    await vi.waitFor(() => expect(TestEventSource.opened).toHaveLength(streams + 1), { timeout: 3000 });
    expect(TestEventSource.last!.url).toMatch(/^\/api\/v1\/events\?ticket=ticket-\d+&watch=/);
    act(() => TestEventSource.last!.emit('ready'));
    expect(await screen.findByText('Live')).toBeInTheDocument();

    fleet.instances[0].liveness = { ...fleet.instances[0].liveness, status: 'INACTIVE', reason: 'heartbeat_timeout', connected: false };
    act(() => TestEventSource.last!.emit('fleet', fleetChange(['acme-1'])));
    expect(await within(screen.getByTestId('row-acme-1')).findByText('INACTIVE')).toBeInTheDocument();
  });

  it('says so when the controller cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn((input: RequestInfo | URL) =>
      String(input).endsWith('/me') ? Promise.resolve(Response.json({ subject: 'admin', role: 'ADMIN' })) : Promise.reject(new TypeError('down'))));
    renderAt('/');
    expect(await screen.findByText(/cannot be reached/i, {}, { timeout: 10000 })).toBeInTheDocument();
  });
});

describe('fleet table at scale', () => {
  /** `fleet-1` … `fleet-n`, ACTIVE, each seen a second earlier than the one before. */
  function many(n: number) {
    for (let k = 1; k <= n; k++) {
      const added = instance(`fleet-${k}`, 'acme', 'Acme Corp', 'ACTIVE', 'heartbeat', k % 2 === 0);
      added.liveness.lastSeen = new Date(Date.now() - k * 1000).toISOString();
      fleet.instances.push(added);
    }
  }
  const shownIds = () => screen.getAllByRole('row').slice(1).map((row) => row.dataset.testid?.replace('row-', ''));
  const lastQuery = () => new URLSearchParams(fleet.listed[fleet.listed.length - 1]);

  beforeEach(() => {
    fleet.reset();
    vi.stubGlobal('EventSource', TestEventSource);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('pages through the fleet a page at a time, ids in natural order, with the range and the total', async () => {
    many(120);
    const { user, location } = renderAt('/');
    await vi.waitFor(() => expect(screen.getByTestId('fleet-range')).toHaveTextContent('1–50 of 123'));
    expect(shownIds().slice(0, 4)).toEqual(['acme-1', 'acme-2', 'fleet-1', 'fleet-2']);
    expect(shownIds()).toHaveLength(50);
    expect(shownIds()[11]).toBe('fleet-10');

    await user.click(screen.getByRole('button', { name: 'Page 3' }));
    await vi.waitFor(() => expect(screen.getByTestId('fleet-range')).toHaveTextContent('101–123 of 123'));
    expect(shownIds()).toEqual([...Array.from({ length: 22 }, (_, k) => `fleet-${k + 99}`), 'globex-1']);
    expect(lastQuery().get('page')).toBe('2');
    expect(location()).toBe('/?page=3');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'INACTIVE');
    await vi.waitFor(() => expect(screen.getByTestId('fleet-range')).toHaveTextContent('1–1 of 1'));
    expect(location()).toBe('/?status=INACTIVE');
  });

  it('sorts by a header, then the other way, saying which to screen readers', async () => {
    many(5);
    const { user, location } = renderAt('/');
    await screen.findByTestId('row-fleet-5');
    const lastSeen = screen.getByRole('columnheader', { name: 'Last seen' });
    expect(lastSeen).toHaveAttribute('aria-sort', 'none');
    expect(screen.getByRole('columnheader', { name: /Orchestrator/ })).toHaveAttribute('aria-sort', 'ascending');

    await user.click(within(lastSeen).getByRole('button'));
    await vi.waitFor(() => expect(lastQuery().get('sort')).toBe('lastSeen,asc'));
    expect(screen.getByRole('columnheader', { name: /Last seen/ })).toHaveAttribute('aria-sort', 'ascending');
    // The oldest first: those seen 12 s ago (ties by id), then fleet-5, seen 5 s ago.
    await vi.waitFor(() => expect(shownIds().slice(0, 4)).toEqual(['acme-1', 'acme-2', 'globex-1', 'fleet-5']));

    await user.click(within(screen.getByRole('columnheader', { name: /Last seen/ })).getByRole('button'));
    await vi.waitFor(() => expect(lastQuery().get('sort')).toBe('lastSeen,desc'));
    expect(screen.getByRole('columnheader', { name: /Last seen/ })).toHaveAttribute('aria-sort', 'descending');
    await vi.waitFor(() => expect(shownIds()[0]).toBe('fleet-1'));
    expect(location()).toBe('/?sort=lastSeen%2Cdesc');
  });

  it('reads a page sorted by last seen again every few seconds, as heartbeats move its rows and no event says where', async () => {
    renderAt('/?sort=lastSeen,desc');
    await screen.findByTestId('row-acme-1');
    const longestSilent = shownIds().at(-1)!;
    const listed = fleet.listed.length;

    fleet.instances.find((i) => i.orchestratorId === longestSilent)!.liveness.lastSeen = new Date().toISOString();
    await vi.waitFor(() => expect(shownIds()[0]).toBe(longestSilent), { timeout: LAST_SEEN_ORDER_EVERY + 2000 });
    expect(fleet.listed.length).toBe(listed + 1);
  }, LAST_SEEN_ORDER_EVERY + 5000);

  it('opens the view a link holds (filters, order, page and size), as after a reload', async () => {
    many(120);
    renderAt('/?status=ACTIVE&connected=true&organization=acme&sort=lastSeen,desc&page=2&size=50');
    await vi.waitFor(() => expect(screen.getByTestId('fleet-range')).toHaveTextContent('51–61 of 61'));
    const asked = lastQuery();
    expect(Object.fromEntries(asked)).toEqual({
      status: 'ACTIVE', organizationId: 'acme', connected: 'true', sort: 'lastSeen,desc', page: '1', size: '50',
    });
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('ACTIVE');
    expect(screen.getByRole('combobox', { name: 'Connection' })).toHaveValue('true');
    expect(screen.getByRole('columnheader', { name: /Last seen/ })).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByRole('button', { name: 'Page 2' })).toHaveAttribute('aria-current', 'page');
  });

  it('filters by independence, and leaves out what a link says wrongly', async () => {
    const { user, location } = renderAt('/?status=ALIVE&sort=secret,up&page=-3&size=7');
    await screen.findByTestId('row-globex-1');
    expect(Object.fromEntries(lastQuery())).toEqual({ sort: 'orchestratorId,asc', page: '0', size: '50' });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Independence' }), 'Independent');
    await vi.waitFor(() => expect(shownIds()).toEqual(['globex-1']));
    expect(location()).toBe('/?independent=true');
  });

  it('renders a long page a window of rows at a time, the rest as they scroll into view', async () => {
    many(197);
    renderAt('/?size=200');
    const table = await screen.findByRole('table', { name: 'Orchestrators' });
    await vi.waitFor(() => expect(table).toHaveAttribute('aria-rowcount', '201'));
    const rendered = shownIds().filter(Boolean);
    expect(rendered.length).toBeLessThan(40);
    expect(rendered[0]).toBe('acme-1');

    const scroller = screen.getByTestId('fleet-scroller');
    scroller.scrollTop = 58 * 150;
    act(() => {
      scroller.dispatchEvent(new Event('scroll'));
    });
    await vi.waitFor(() => expect(screen.getByTestId('row-fleet-148')).toBeInTheDocument());
    expect(screen.queryByTestId('row-acme-1')).not.toBeInTheDocument();
    expect(screen.getByTestId('row-fleet-148')).toHaveAttribute('aria-rowindex', '151');
  });
});
