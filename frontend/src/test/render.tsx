import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { App, newQueryClient } from '../App';
import { ADMIN_TOKEN } from './server';

/** The whole app at a route, signed in with a token (the admin's unless told). */
export function renderAt(route: string, token: string | null = ADMIN_TOKEN) {
  if (token) sessionStorage.setItem('mooli.token', token);
  const user = userEvent.setup();
  const view = render(
    <MemoryRouter initialEntries={[route]}>
      <App client={newQueryClient()} env="test" />
    </MemoryRouter>,
  );
  return { user, ...view };
}
