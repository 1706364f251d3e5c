import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fleet, VIEWER_TOKEN } from '../../../test/server';
import { renderAt } from '../../../test/render';

describe('waiting for approval', () => {
  beforeEach(() => fleet.reset());

  it('shows what each waiting orchestrator said about itself, and how many wait', async () => {
    renderAt('/waiting');
    const row = await screen.findByTestId('waiting-new-agent');
    expect(row).toHaveTextContent('New agent');
    expect(row).toHaveTextContent('agent-host');
    expect(row).toHaveTextContent('version 1.1.0');
    expect(row).toHaveTextContent('cache');
    expect(row).toHaveTextContent('203.0.113.7');
    expect(row).toHaveTextContent('gets a token');
    expect(row).toHaveTextContent('key 9f86-d081-884c');
    expect(screen.getByTestId('waiting-legacy-1')).toHaveTextContent('original client, no token');
    expect(screen.getByLabelText('2 waiting')).toBeInTheDocument();
  });

  it('approves into an existing organization, and the orchestrator joins the fleet', async () => {
    const { user } = renderAt('/waiting');
    await user.click(await screen.findByRole('button', { name: 'Approve new-agent' }));
    const dialog = await screen.findByRole('dialog', { name: 'Approve new-agent' });
    expect(within(dialog).getByText(/receives its token/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('combobox', { name: 'Organization' }));
    await user.click(await screen.findByRole('option', { name: 'Globex (globex)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));

    await screen.findByLabelText('1 waiting');
    expect(screen.queryByTestId('waiting-new-agent')).not.toBeInTheDocument();
    expect(fleet.instances.find((i) => i.orchestratorId === 'new-agent')).toMatchObject({ organizationId: 'globex', name: 'New agent' });
    expect(fleet.activity[0]).toMatchObject({ action: 'orchestrator.enrolment.approved', targetId: 'new-agent' });
  });

  it('approves into a new organization made on the spot', async () => {
    const { user } = renderAt('/waiting');
    await user.click(await screen.findByRole('button', { name: 'Approve legacy-1' }));
    const dialog = await screen.findByRole('dialog', { name: 'Approve legacy-1' });
    expect(within(dialog).getByText(/without a token/)).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/or a new organization/i), 'Initech');
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));

    await screen.findByLabelText('1 waiting');
    expect(fleet.organizations.map((o) => o.organizationId)).toContain('initech');
    expect(fleet.instances.find((i) => i.orchestratorId === 'legacy-1')).toMatchObject({ organizationId: 'initech',
      tokenlessAllowed: true });
  });

  it('proposes the organization of the enrolment token it came with', async () => {
    fleet.enrolments[0].proposedOrganizationId = 'globex';
    const { user } = renderAt('/waiting');
    expect(await screen.findByTestId('waiting-new-agent')).toHaveTextContent('enrolment token for globex');
    await user.click(screen.getByRole('button', { name: 'Approve new-agent' }));
    const dialog = await screen.findByRole('dialog', { name: 'Approve new-agent' });
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));

    await screen.findByLabelText('1 waiting');
    expect(fleet.instances.find((i) => i.orchestratorId === 'new-agent')).toMatchObject({ organizationId: 'globex' });
  });

  it('rejects only after confirmation', async () => {
    const { user } = renderAt('/waiting');
    await user.click(await screen.findByRole('button', { name: 'Reject legacy-1' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reject legacy-1?' });
    expect(dialog).toHaveTextContent('4403');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));

    await screen.findByLabelText('1 waiting');
    expect(screen.queryByTestId('waiting-legacy-1')).not.toBeInTheDocument();
    expect(fleet.activity[0]).toMatchObject({ action: 'orchestrator.enrolment.rejected', targetId: 'legacy-1' });
  });

  it('lets a viewer see the waiting room but not decide', async () => {
    renderAt('/waiting', VIEWER_TOKEN);
    expect(await screen.findByTestId('waiting-new-agent')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve new-agent' })).not.toBeInTheDocument();
  });

  it('says so when nobody waits', async () => {
    fleet.enrolments = [];
    renderAt('/waiting');
    expect(await screen.findByText('No orchestrator is waiting for approval.')).toBeInTheDocument();
  });
});
