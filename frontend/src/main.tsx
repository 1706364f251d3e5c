import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import '@mantine/core/styles.css';
import { App, newQueryClient } from './App';
import { storedToken } from './api/client';
import { prefetchMe } from './api/hooks';
import { prefetchFleet } from './features/fleet/api/fleet';
import { viewOf } from './features/fleet/hooks/use-fleet-view';

const client = newQueryClient();
// Signed in: who that is, and on the fleet its rows and counts, are asked for now, all at once,
// rather than each once the page before it has rendered.
const token = storedToken();
if (token) {
  prefetchMe(client, token);
  if (window.location.pathname === '/') prefetchFleet(client, viewOf(new URLSearchParams(window.location.search)));
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App client={client} />
    </BrowserRouter>
  </StrictMode>,
);
