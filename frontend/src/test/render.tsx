import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { App, newQueryClient } from '../App';
import { ADMIN_TOKEN } from './server';

/** Notes the router's location as the app changes it. */
function LocationProbe({ onLocation }: { onLocation: (location: string) => void }) {
  const location = useLocation();
  onLocation(location.pathname + location.search);
  return null;
}

/**
 * The whole app at a route, signed in with a token (the admin's unless told); `location()` is where
 * the app is now, path and query, as its address bar would show it.
 */
export function renderAt(route: string, token: string | null = ADMIN_TOKEN) {
  if (token) sessionStorage.setItem('mooli.token', token);
  const user = userEvent.setup();
  let current = route;
  const view = render(
    <MemoryRouter initialEntries={[route]}>
      <App client={newQueryClient()} env="test" />
      <LocationProbe onLocation={(location) => (current = location)} />
    </MemoryRouter>,
  );
  return { user, location: () => current, ...view };
}
