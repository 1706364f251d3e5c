import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fleet } from '../test/server';
import { renderAt } from '../test/render';

describe('recommendations inbox and activity log', () => {
  beforeEach(() => fleet.reset());

  it('shows pending recommendations first, and a decision leaves the pending list', async () => {
    const { user } = renderAt('/recommendations');
    const card = await screen.findByTestId('recommendation-1');
    expect(screen.queryByTestId('recommendation-2')).not.toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Reject Enable response cache' }));
    expect(await screen.findByText('Nothing here.')).toBeInTheDocument();

    await user.click(screen.getByText('All'));
    expect(await screen.findByTestId('recommendation-2')).toBeInTheDocument();
    expect(screen.getByTestId('recommendation-1')).toHaveTextContent('Rejected by admin');
  });

  it('finds every action in the activity log, filtered by target type', async () => {
    const { user } = renderAt('/recommendations');
    await user.click(within(await screen.findByTestId('recommendation-1')).getByRole('button', { name: /accept/i }));
    await screen.findByText('Nothing here.');
    fleet.record('organization.created', 'organization', 'initech');

    await user.click(screen.getByRole('link', { name: 'Activity log' }));
    const log = await screen.findByRole('table', { name: 'Activity' });
    expect(within(log).getByText('recommendation.accepted')).toBeInTheDocument();
    expect(within(log).getByText('organization.created')).toBeInTheDocument();

    await user.click(screen.getByRole('combobox', { name: 'Target type' }));
    await user.click(await screen.findByRole('option', { name: 'recommendation' }));
    await within(log).findByText('recommendation.accepted');
    expect(within(screen.getByRole('table', { name: 'Activity' })).queryByText('organization.created')).not.toBeInTheDocument();
  });
});
