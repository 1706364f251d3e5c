import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fleet } from '../test/server';
import { renderAt } from '../test/render';

describe('orchestrator detail', () => {
  beforeEach(() => fleet.reset());

  it('creates an orchestrator, shows its token once, then opens it', async () => {
    const { user } = renderAt('/');
    await user.click(await screen.findByRole('button', { name: 'New orchestrator' }));
    const form = await screen.findByRole('dialog', { name: 'New orchestrator' });
    await user.click(within(form).getByRole('combobox', { name: 'Organization' }));
    await user.click(await screen.findByRole('option', { name: 'Globex (globex)' }));
    await user.type(within(form).getByLabelText('Orchestrator id'), 'globex-7');
    await user.click(within(form).getByRole('button', { name: 'Create' }));

    const tokenDialog = await screen.findByRole('dialog', { name: 'Orchestrator token' });
    expect(within(tokenDialog).getByTestId('token')).toHaveTextContent('mo_new-token-for-globex-7');
    expect(within(tokenDialog).getByRole('button', { name: 'Copy token' })).toBeInTheDocument();
    await user.click(within(tokenDialog).getByRole('button', { name: 'Done' }));

    expect(await screen.findByRole('heading', { name: 'GLOBEX-7' })).toBeInTheDocument();
    expect(screen.queryByTestId('token')).not.toBeInTheDocument();
  });

  it('shows liveness, history, uptime and the latest monitoring report', async () => {
    renderAt('/orchestrators/acme-1');
    expect(await screen.findByRole('heading', { name: 'ACME-1' })).toBeInTheDocument();
    expect(screen.getByText('Connected to edge-1')).toBeInTheDocument();
    const history = await screen.findByRole('table', { name: 'Status history' });
    expect(within(history).getByText('registered')).toBeInTheDocument();
    expect(within(history).getByText('connected')).toBeInTheDocument();
    expect(await screen.findByText('75% over 2 window(s)')).toBeInTheDocument();
    const latest = await screen.findByRole('table', { name: 'Latest monitoring report' });
    expect(within(latest).getByRole('rowheader', { name: 'cpu_pct' }).nextSibling).toHaveTextContent('42.5');
    expect(screen.getByRole('img', { name: 'Trend of cpu_pct, mem_pct' })).toBeInTheDocument();
  });

  it('asks before setting an orchestrator free, then shows the handshake waiting for it', async () => {
    const { user } = renderAt('/orchestrators/acme-1');
    const toggle = await screen.findByRole('switch', { name: /independence mode/i });
    expect(screen.getByTestId('independence-progress')).toHaveTextContent('Managed by the controller');
    await user.click(toggle);
    const dialog = await screen.findByRole('dialog', { name: 'Set this orchestrator free?' });
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByText('Independence requested: waiting for the orchestrator')).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: /independence mode/i })).toBeChecked();
    expect(fleet.activity[0]).toMatchObject({ action: 'orchestrator.independence.set', targetId: 'acme-1' });
  });

  it('shows an independent orchestrator as confirmed, and taking it back as waiting for its reconnect', async () => {
    const { user } = renderAt('/orchestrators/globex-1');
    expect(await screen.findByText('Independent: confirmed by the orchestrator')).toBeInTheDocument();
    await user.click(screen.getByRole('switch', { name: /independence mode/i }));
    const dialog = await screen.findByRole('dialog', { name: 'Bring this orchestrator back under management?' });
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Managed again: waiting for the orchestrator to reconnect')).toBeInTheDocument();
  });

  it('allows tokenless sessions for an orchestrator with a token only after a warning, and stops them', async () => {
    const { user } = renderAt('/orchestrators/acme-1');
    const tokenless = await screen.findByRole('switch', { name: /allow tokenless sessions/i });
    expect(tokenless).not.toBeChecked();

    await user.click(tokenless);
    const allow = await screen.findByRole('dialog', { name: 'Allow tokenless sessions?' });
    expect(allow).toHaveTextContent('This orchestrator holds a token');
    await user.click(within(allow).getByRole('button', { name: 'Allow' }));
    await waitFor(() => expect(screen.getByRole('switch', { name: /allow tokenless sessions/i })).toBeChecked());
    expect(fleet.activity[0]).toMatchObject({ action: 'orchestrator.tokenless.set', targetId: 'acme-1',
      details: { allowed: true, holdsToken: true } });

    await user.click(screen.getByRole('switch', { name: /allow tokenless sessions/i }));
    const stop = await screen.findByRole('dialog', { name: 'Stop tokenless sessions?' });
    await user.click(within(stop).getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(screen.getByRole('switch', { name: /allow tokenless sessions/i })).not.toBeChecked());
    expect(fleet.activity[0]).toMatchObject({ action: 'orchestrator.tokenless.set', details: { allowed: false } });
  });

  it('leaves tokenless sessions as they are when the admin cancels', async () => {
    const { user } = renderAt('/orchestrators/acme-1');
    await user.click(await screen.findByRole('switch', { name: /allow tokenless sessions/i }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Allow tokenless sessions?' }))
      .getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('switch', { name: /allow tokenless sessions/i })).not.toBeChecked();
    expect(fleet.activity).toHaveLength(0);
  });

  it('rotates the token after confirmation and shows the new one', async () => {
    const { user } = renderAt('/orchestrators/acme-1');
    await user.click(await screen.findByRole('button', { name: 'Rotate token' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Rotate the token?' })).getByRole('button', { name: 'Rotate token' }));
    expect(await screen.findByTestId('token')).toHaveTextContent('mo_rotated-token');
  });

  it('accepts a recommendation with a note', async () => {
    const { user } = renderAt('/orchestrators/acme-1');
    const card = await screen.findByTestId('recommendation-1');
    await user.type(within(card).getByLabelText('Note'), 'Go ahead');
    await user.click(within(card).getByRole('button', { name: 'Accept Enable response cache' }));
    expect(await within(screen.getByTestId('recommendation-1')).findByText('Accepted by admin: “Go ahead”')).toBeInTheDocument();
  });

  it('says when the orchestrator does not exist', async () => {
    renderAt('/orchestrators/nobody');
    expect(await screen.findByRole('alert')).toHaveTextContent('orchestrator nobody not found');
  });
});
