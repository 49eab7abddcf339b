import { AppShell, Burger, Button, Center, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { CALLBACK_PATH, completeSignIn, signedIn, signIn, signOut, type SignedIn } from './auth/session';
import { ErrorState, LoadingState } from './components/StateViews';
import { ApiError } from './api/apiClient';
import { Link, navigate, useLocation } from './router';
import { AdminPage } from './pages/AdminPage';
import { ChangesPage } from './pages/ChangesPage';
import { HistoryPage } from './pages/HistoryPage';
import { PlanPage } from './pages/PlanPage';
import { PlansPage } from './pages/PlansPage';
import { SearchPage } from './pages/SearchPage';

interface Section {
  readonly path: string;
  readonly label: string;
  /** The scope a person needs to see the section at all (the api checks it again). */
  readonly scope: string;
}

const SECTIONS: readonly Section[] = [
  { path: '/console/plans', label: 'Plans', scope: 'plans:read' },
  { path: '/console/search', label: 'Search', scope: 'plans:read' },
  { path: '/console/changes', label: 'Changes', scope: 'audit:read' },
  { path: '/console/admin', label: 'Admin', scope: 'admin' },
];

type Phase = { kind: 'starting' } | { kind: 'failed'; message: string } | { kind: 'signedOut' } | { kind: 'ready'; session: SignedIn };

/** The console: signs in first (or finishes a sign-in at the callback), then shows the page the address names. */
export function App() {
  const { path, search } = useLocation();
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });

  useEffect(() => {
    if (phase.kind !== 'starting') return;
    if (window.location.pathname === CALLBACK_PATH) {
      completeSignIn(window.location.search).then(
        (returnTo) => {
          navigate(returnTo, { replace: true });
          const session = signedIn();
          setPhase(session ? { kind: 'ready', session } : { kind: 'failed', message: 'No token after sign-in.' });
        },
        (error: unknown) => setPhase({ kind: 'failed', message: (error as Error).message }),
      );
      return;
    }
    const session = signedIn();
    if (session) setPhase({ kind: 'ready', session });
    else void signIn(`${window.location.pathname}${window.location.search}`).catch((error: unknown) => setPhase({ kind: 'failed', message: `Cannot reach the identity provider: ${(error as Error).message}` }));
  }, [phase.kind]);

  if (phase.kind === 'starting') return <LoadingState label="Signing in…" height={400} />;
  if (phase.kind === 'failed' || phase.kind === 'signedOut') {
    return (
      <Center mih="100vh" p="md">
        <Stack maw={420} gap="md">
          <Title order={1} size="h2">planledger console</Title>
          {phase.kind === 'failed' ? <ErrorState error={new ApiError(400, { title: 'Sign-in failed', detail: phase.message })} /> : <Text data-testid="signed-out">You are signed out. The token was forgotten.</Text>}
          <Group>
            <Button onClick={() => void signIn('/console/plans')}>Sign in</Button>
          </Group>
        </Stack>
      </Center>
    );
  }
  return (
    <Shell
      session={phase.session}
      path={path}
      search={search}
      onSignOut={() => {
        signOut();
        navigate('/console/', { replace: true });
        setPhase({ kind: 'signedOut' });
      }}
    />
  );
}

function Shell({ session, path, search, onSignOut }: { session: SignedIn; path: string; search: string; onSignOut: () => void }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const visible = SECTIONS.filter((section) => session.scopes.has(section.scope));
  useEffect(close, [path, close]);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a className="skip-link" href="#main">Skip to content</a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Link to="/console/plans" style={{ textDecoration: 'none', color: 'inherit' }}>
              <Text fw={700}>planledger</Text>
            </Link>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="xs" data-testid="who">
              {session.email ?? session.subject} · {session.org}
            </Text>
            <Button size="xs" variant="default" onClick={onSignOut}>Sign out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Sections">
        {visible.map((section) => (
          <NavLink key={section.path} component={Link} to={section.path} label={section.label} active={path === section.path || path.startsWith(`${section.path}/`)} />
        ))}
        <Text size="xs" c="dimmed" mt="auto" p="xs">
          Scopes: {[...session.scopes].join(', ')}
        </Text>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Page session={session} path={path} search={search} />
      </AppShell.Main>
    </AppShell>
  );
}

function Page({ session, path, search }: { session: SignedIn; path: string; search: string }) {
  const plan = /^\/console\/plans\/([^/]+)(\/history)?\/?$/.exec(path);
  if (plan?.[1]) {
    const planId = decodeURIComponent(plan[1]);
    return plan[2] ? <HistoryPage planId={planId} search={search} /> : <PlanPage planId={planId} canAudit={session.scopes.has('audit:read')} />;
  }
  switch (path.replace(/\/$/, '')) {
    case '/console':
    case '/console/plans':
      return <PlansPage />;
    case '/console/search':
      return <SearchPage search={search} canAudit={session.scopes.has('audit:read')} />;
    case '/console/changes':
      return <ChangesPage search={search} admin={session.scopes.has('admin')} />;
    case '/console/admin':
      return session.scopes.has('admin') ? <AdminPage /> : <ErrorState error={new ApiError(403, { detail: 'the admin pages need the admin scope' })} what="the admin pages" />;
    default:
      return <ErrorState error={new ApiError(404, { detail: `The console has no page ${path}.` })} />;
  }
}
