import { lazy, Suspense, type ReactNode } from 'react';
import { NavLink as RouterLink, Route, Routes } from 'react-router';
import {
  Anchor,
  AppShell,
  Badge,
  Button,
  createTheme,
  Group,
  MantineProvider,
  Modal,
  NavLink,
  Text,
  Title,
  type CSSVariablesResolver,
} from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { SignedIn, useSession } from './auth';
import { WaitingCount, WaitingRoom } from './features/enrolments/components/waiting-room';
import { useLiveEvents } from './features/events/hooks/use-live-events';
import { MassChangeBanner } from './features/fleet/components/mass-change-banner';
import { Fleet } from './features/fleet/routes/fleet';
import { PipelineIndicator } from './features/pipeline/components/pipeline-indicator';
import { SignIn } from './pages/SignIn';
import { Empty, Loading } from './components/common';

// The fleet page comes with the dashboard; the others, the orchestrator page's charts above all, are
// loaded when first visited, so that the first page is not kept waiting for them.
const PipelinePage = lazy(() => import('./features/pipeline/routes/pipeline').then((m) => ({ default: m.PipelinePage })));
const Activity = lazy(() => import('./pages/Activity').then((m) => ({ default: m.Activity })));
const Inbox = lazy(() => import('./pages/Inbox').then((m) => ({ default: m.Inbox })));
const Orchestrator = lazy(() => import('./pages/Orchestrator').then((m) => ({ default: m.Orchestrator })));
const Organizations = lazy(() => import('./pages/Organizations').then((m) => ({ default: m.Organizations })));
const OrganizationDetail = lazy(() => import('./pages/Organizations').then((m) => ({ default: m.OrganizationDetail })));

export function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // A refusal (4xx) will not change on retry; an unreachable or failing server may.
      queries: { retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500), staleTime: 2000 },
    },
  });
}

/**
 * Mantine's defaults, made to pass WCAG AA contrast (checked by axe-core in the browser test):
 * darker primary shades, dimmed text and light/outline variants, underlined links, labelled
 * dialog close buttons, and no animation for those who ask for reduced motion.
 */
const theme = createTheme({
  primaryShade: 8,
  respectReducedMotion: true,
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
  },
});

/** Text colours of the light and outline variants, dark enough on a white or lightly tinted background. */
const DARK_TEXT: Record<string, string> = {
  blue: 'var(--mantine-color-blue-9)',
  red: 'var(--mantine-color-red-9)',
  violet: 'var(--mantine-color-violet-9)',
  gray: 'var(--mantine-color-gray-8)',
  teal: 'var(--mantine-color-teal-9)',
  green: '#1e6b30',
  yellow: '#7a4a00',
  orange: '#a33a0a',
};

const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      Object.entries(DARK_TEXT).flatMap(([color, text]) => [
        [`--mantine-color-${color}-light-color`, text],
        [`--mantine-color-${color}-outline`, text],
      ]),
    ),
  },
  dark: {},
});

/** The whole dashboard inside a router (the browser's, or a test's, which renders without transitions). */
export function App({ client, env }: { client: QueryClient; env?: 'default' | 'test' }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={contrast} env={env}>
      <QueryClientProvider client={client}>
        <SignedIn signIn={(onToken) => <SignIn onToken={onToken} />}>
          <Shell>
            <Suspense fallback={<Loading label="Loading the page" />}>
            <Routes>
              <Route path="/" element={<Fleet />} />
              <Route path="/organizations" element={<Organizations />} />
              <Route path="/organizations/:id" element={<OrganizationDetail />} />
              <Route path="/orchestrators/:id" element={<Orchestrator />} />
              <Route path="/waiting" element={<WaitingRoom />} />
              <Route path="/recommendations" element={<Inbox />} />
              <Route path="/activity" element={<Activity />} />
              <Route path="/pipeline" element={<PipelinePage />} />
              <Route path="*" element={<Empty>This page does not exist.</Empty>} />
            </Routes>
            </Suspense>
          </Shell>
        </SignedIn>
      </QueryClientProvider>
    </MantineProvider>
  );
}

const NAV: { to: string; label: string; count?: ReactNode }[] = [
  { to: '/', label: 'Fleet' },
  { to: '/waiting', label: 'Waiting for approval', count: <WaitingCount /> },
  { to: '/organizations', label: 'Organizations' },
  { to: '/recommendations', label: 'Recommendations' },
  { to: '/activity', label: 'Activity log' },
  { to: '/pipeline', label: 'Pipeline' },
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
            <PipelineIndicator />
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
            {({ isActive }) => (
              <NavLink component="span" label={item.label} rightSection={item.count} active={isActive} variant="filled" />
            )}
          </RouterLink>
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <MassChangeBanner />
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
