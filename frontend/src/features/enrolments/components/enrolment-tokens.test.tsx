import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fleet, VIEWER_TOKEN } from '../../../test/server';
import { renderAt } from '../../../test/render';

describe('enrolment tokens', () => {
  beforeEach(() => fleet.reset());

  it('makes one, shows it once, lists its terms and revokes it after confirmation', async () => {
    const { user } = renderAt('/organizations/acme');
    expect(await screen.findByText('No enrolment tokens.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New enrolment token' }));
    const dialog = await screen.findByRole('dialog', { name: 'New enrolment token' });
    await user.type(within(dialog).getByLabelText('Description'), 'rack 7');
    await user.click(within(dialog).getByRole('switch', { name: /approve at once/i }));
    await user.type(within(dialog).getByLabelText(/uses at most/i), '3');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    const shown = await screen.findByRole('dialog', { name: 'Enrolment token' });
    expect(within(shown).getByTestId('token')).toHaveTextContent('mo_enrolment-token-et-000000000001');
    expect(shown).toHaveTextContent('ORCHESTRATOR_ENROLMENT_TOKEN');
    await user.click(within(shown).getByRole('button', { name: 'Done' }));
    const row = await screen.findByTestId('enrolment-token-et-000000000001');
    expect(row).toHaveTextContent('rack 7');
    expect(row).toHaveTextContent('at once');
    expect(row).toHaveTextContent('0 of 3');
    expect(row).not.toHaveTextContent('mo_');
    expect(fleet.enrolmentTokens[0]).toMatchObject({ autoApprove: true, maxUses: 3 });

    await user.click(within(row).getByRole('button', { name: 'Revoke et-000000000001' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Revoke et-000000000001?' }))
      .getByRole('button', { name: 'Revoke' }));
    expect(await within(row).findByText('revoked')).toBeInTheDocument();
    expect(fleet.activity[0]).toMatchObject({ action: 'enrolment-token.revoked', targetId: 'et-000000000001' });
  });

  it('shows a viewer the tokens and no control', async () => {
    fleet.enrolmentTokens = [{ tokenId: 'et-00000000000a', organizationId: 'acme', description: null, autoApprove: false,
      maxUses: null, uses: 2, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), revokedAt: null, createdBy: 'admin',
      createdAt: new Date().toISOString() }];
    renderAt('/organizations/acme', VIEWER_TOKEN);
    const row = await screen.findByTestId('enrolment-token-et-00000000000a');
    expect(row).toHaveTextContent('by an admin');
    expect(screen.queryByRole('button', { name: 'New enrolment token' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /revoke/i })).not.toBeInTheDocument();
  });
});
