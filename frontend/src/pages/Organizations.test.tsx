import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fleet } from '../test/server';
import { renderAt } from '../test/render';

describe('organizations', () => {
  beforeEach(() => fleet.reset());

  it('creates an organization, which the list and the activity log then show', async () => {
    const { user } = renderAt('/organizations');
    await screen.findByRole('table', { name: 'Organizations' });
    await user.click(screen.getByRole('button', { name: 'New organization' }));
    const dialog = await screen.findByRole('dialog', { name: 'New organization' });
    await user.type(within(dialog).getByLabelText(/organization id/i), 'initech');
    await user.type(within(dialog).getByLabelText(/^name/i), 'Initech');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    expect(await screen.findByRole('link', { name: 'Initech' })).toBeInTheDocument();
    expect(fleet.activity[0]).toMatchObject({ action: 'organization.created', targetId: 'initech' });
  });

  it('shows the API refusing a duplicate, and keeps the form open', async () => {
    const { user } = renderAt('/organizations');
    await user.click(await screen.findByRole('button', { name: 'New organization' }));
    const dialog = await screen.findByRole('dialog', { name: 'New organization' });
    await user.type(within(dialog).getByLabelText(/organization id/i), 'acme');
    await user.type(within(dialog).getByLabelText(/^name/i), 'Acme again');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('organization acme already exists');
  });

  it('edits an organization and lists its orchestrators', async () => {
    const { user } = renderAt('/organizations/acme');
    expect(await screen.findByRole('heading', { name: 'Acme Corp' })).toBeInTheDocument();
    expect(await screen.findByTestId('row-acme-1')).toBeInTheDocument();
    expect(screen.getByTestId('row-acme-2')).toBeInTheDocument();
    expect(screen.queryByTestId('row-globex-1')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit organization' });
    const name = within(dialog).getByLabelText(/^name/i);
    await user.clear(name);
    await user.type(name, 'Acme Corporation');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('heading', { name: 'Acme Corporation' })).toBeInTheDocument();
  });

  it('deletes only after confirmation, and explains a refusal', async () => {
    const { user } = renderAt('/organizations/acme');
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete Acme Corp?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fleet.organizations).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete organization' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('organization acme still has orchestrators');

    fleet.instances = fleet.instances.filter((i) => i.organizationId !== 'acme');
    await user.click(screen.getByRole('button', { name: 'Delete organization' }));
    expect(await screen.findByRole('heading', { name: 'Organizations' })).toBeInTheDocument();
    expect(fleet.organizations.map((o) => o.organizationId)).toEqual(['globex']);
  });
});
