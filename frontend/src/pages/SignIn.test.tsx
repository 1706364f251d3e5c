import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, fleet, VIEWER_TOKEN } from '../test/server';
import { renderAt } from '../test/render';

describe('sign-in', () => {
  beforeEach(() => fleet.reset());

  it('refuses a wrong token with a readable message and keeps the form', async () => {
    const { user } = renderAt('/', null);
    await user.type(screen.getByLabelText(/access token/i), 'not-a-token');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That token was not accepted.');
    expect(sessionStorage.getItem('mooli.token')).toBeNull();
  });

  it('signs an admin in to the fleet, with the controls that change things', async () => {
    const { user } = renderAt('/', null);
    await user.type(screen.getByLabelText(/access token/i), ADMIN_TOKEN);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Fleet' })).toBeInTheDocument();
    expect(screen.getByTestId('whoami')).toHaveTextContent('admin (admin)');
    expect(screen.getByRole('button', { name: 'New orchestrator' })).toBeInTheDocument();
  });

  it('shows a viewer no control that changes anything', async () => {
    const { user } = renderAt('/orchestrators/acme-1', VIEWER_TOKEN);
    expect(await screen.findByRole('heading', { name: 'ACME-1' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Rotate token' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    expect(await screen.findByRole('switch', { name: /independence mode/i })).toBeDisabled();
    expect(screen.getByRole('switch', { name: /allow tokenless sessions/i })).toBeDisabled();
    expect(screen.queryByRole('button', { name: /accept/i })).not.toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Organizations' }));
    expect(await screen.findByRole('heading', { name: 'Organizations' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New organization' })).not.toBeInTheDocument();
  });

  it('signs out back to the form', async () => {
    const { user } = renderAt('/');
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText(/access token/i)).toBeInTheDocument();
    expect(sessionStorage.getItem('mooli.token')).toBeNull();
  });
});
