import type { ReactNode } from 'react';
import { NavLink as RouterLink, Route, Routes } from 'react-router';
import { AppShell, Badge, Button, Group, MantineProvider, NavLink, Text, Title } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { SignedIn, useSession } from './auth';
import { useLiveEvents } from './live';
import { Activity } from './pages/Activity';
import { Fleet } from './pages/Fleet';
import { Inbox } from './pages/Inbox';
import { Orchestrator } from './pages/Orchestrator';
import { OrganizationDetail, Organizations } from './pages/Organizations';
import { SignIn } from './pages/SignIn';
import { Empty } from './components/common';

export function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // A refusal (4xx) will not change on retry; an unreachable or failing server may.
      queries: { retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500), staleTime: 2000 },
    },
  });
}

/** The whole dashboard inside a router (the browser's, or a test's, which renders without transitions). */
export function App({ client, env }: { client: QueryClient; env?: 'default' | 'test' }) {
  return (
    <MantineProvider env={env}>
      <QueryClientProvider client={client}>
        <SignedIn signIn={(onToken) => <SignIn onToken={onToken} />}>
          <Shell>
            <Routes>
              <Route path="/" element={<Fleet />} />
              <Route path="/organizations" element={<Organizations />} />
              <Route path="/organizations/:id" element={<OrganizationDetail />} />
              <Route path="/orchestrators/:id" element={<Orchestrator />} />
              <Route path="/recommendations" element={<Inbox />} />
              <Route path="/activity" element={<Activity />} />
              <Route path="*" element={<Empty>This page does not exist.</Empty>} />
            </Routes>
          </Shell>
        </SignedIn>
      </QueryClientProvider>
    </MantineProvider>
  );
}

const NAV = [
  { to: '/', label: 'Fleet' },
  { to: '/organizations', label: 'Organizations' },
  { to: '/recommendations', label: 'Recommendations' },
  { to: '/activity', label: 'Activity log' },
];

function Shell({ children }: { children: ReactNode }) {
  const { me, token, signOut } = useSession();
  const live = useLiveEvents(token);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={2} size="h4">
            Mooli Controller
          </Title>
          <Group gap="sm">
            <Badge color={live ? 'green' : 'gray'} variant="dot" aria-label={live ? 'Live updates on' : 'Live updates off'}>
              {live ? 'Live' : 'Offline'}
            </Badge>
            <Text size="sm" data-testid="whoami">
              {me.subject} ({me.role.toLowerCase()})
            </Text>
            <Button size="xs" variant="default" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {NAV.map((item) => (
          <RouterLink key={item.to} to={item.to} end={item.to === '/'} style={{ textDecoration: 'none' }}>
            {({ isActive }) => <NavLink component="span" label={item.label} active={isActive} />}
          </RouterLink>
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
