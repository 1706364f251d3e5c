import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TestEventSource } from '../../../test/event-source';
import { fleet, healthyPipeline } from '../../../test/server';
import { renderAt } from '../../../test/render';

describe('pipeline health', () => {
  beforeEach(() => {
    fleet.reset();
    vi.stubGlobal('EventSource', TestEventSource);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows each service, consumer, the outbox, dead letters and sessions per edge', async () => {
    renderAt('/pipeline');
    expect(await screen.findByRole('heading', { name: 'Pipeline' })).toBeInTheDocument();
    expect(await screen.findByTestId('pipeline-status')).toHaveTextContent('Healthy');
    const services = screen.getByRole('table', { name: 'Services' });
    expect(within(services).getByRole('row', { name: 'ws-edge #1 UP' })).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Edges' })).getByText('1,200')).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Dead letters' })).getByText('orchestrator.reports.v1.dlt')).toBeInTheDocument();
    expect(screen.getByTestId('outbox')).toHaveTextContent('Outbox: nothing to publish');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Pipeline degraded/ })).not.toBeInTheDocument();
  });

  it('says so in the header on every page when degraded, linking to what is wrong', async () => {
    fleet.pipeline = {
      ...healthyPipeline(),
      status: 'degraded',
      problems: ['report-ingest #1 is UNREACHABLE', 'report-ingest is 5,000 records behind'],
      services: [{ service: 'report-ingest', instance: '#1', status: 'UNREACHABLE' }],
      consumers: [{ group: 'report-ingest', topic: 'orchestrator.reports.v1', lag: 5000, oldestAgeSeconds: 95.4 }],
      outbox: { backlog: 12, oldestAgeSeconds: 14.2 },
    };
    const { user } = renderAt('/');
    const indicator = await screen.findByRole('link', { name: 'Pipeline degraded: 2 problems' });
    await user.click(indicator);
    expect(await screen.findByRole('heading', { name: 'Pipeline' })).toBeInTheDocument();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('report-ingest #1 is UNREACHABLE');
    const consumers = within(screen.getByRole('table', { name: 'Consumers' }));
    expect(consumers.getByText('5,000')).toBeInTheDocument();
    expect(consumers.getByText('95 s')).toBeInTheDocument();
    expect(screen.getByTestId('pipeline-status')).toHaveTextContent('Degraded');
    expect(screen.getByTestId('outbox')).toHaveTextContent('Outbox: 12 to publish, the oldest 14 s old');
  });
});
