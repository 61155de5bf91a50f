import { Badge, createTheme, MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals'; // issue 16: confirmations (nav/confirm.ts)
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { ApiError, setUnauthorizedHandler, type Permission } from './api.ts';
import { PASSWORD_PATH, RequireAuth, useCan } from './auth.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { peopleRoutes } from './people/routes.tsx';
import { publicVaccinationRoutes, vaccinationRoutes } from './vaccination/routes.tsx';
import { publicTestingRoutes, testingRoutes } from './testing/routes.tsx';
import { casesRoutes } from './cases/routes.tsx';
import { entryRoutes, publicEntryRoutes } from './entry/routes.tsx';
import { DemoBanner } from './components/DemoBanner.tsx'; // issue 10 item 13
import { careRoutes } from './care/routes.tsx'; // quarantine and treatment (issue 11)
// issue 12 (picture)
import { pictureRoutes, publicPictureRoutes } from './picture/routes.tsx';
import { ruleSetRoutes } from './rulesets/routes.tsx'; // issue 18 (rule sets)
import { greenLaneRoutes } from './greenlane/routes.tsx'; // issue 17 (green lane)
// issue 18 (supplies, enforcement)
import { suppliesRoutes } from './supplies/routes.tsx';
import { enforcementRoutes } from './enforcement/routes.tsx';
import { teamsRoutes } from './teams/routes.tsx'; // issue 18 item 2 (community teams)
import { workplaceRoutes } from './workplaces/routes.tsx'; // issue 18 item 4 (workplaces)
import { lazyPage } from './lazy.tsx'; // issue 15.6: each page is its own chunk

// The staff shell (menu, header) comes with the first staff page, not with the login page.
const Shell = lazyPage(() => import('./components/Shell.tsx'), 'Shell');
const AuditPage = lazyPage(() => import('./pages/AuditPage.tsx'), 'AuditPage');
const HomePage = lazyPage(() => import('./pages/HomePage.tsx'), 'HomePage');
const PasswordPage = lazyPage(() => import('./account/PasswordPage.tsx'), 'PasswordPage'); // issue 10 item 8
const UnitsHome = lazyPage(() => import('./pages/UnitsPage.tsx'), 'UnitsHome');
const UnitsPage = lazyPage(() => import('./pages/UnitsPage.tsx'), 'UnitsPage');
const UserDetailPage = lazyPage(() => import('./pages/UserDetailPage.tsx'), 'UserDetailPage');
const UsersPage = lazyPage(() => import('./pages/UsersPage.tsx'), 'UsersPage');
const RolesPage = lazyPage(() => import('./nav/RolesPage.tsx'), 'RolesPage'); // issue 16 item 7

const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'sm',
  components: {
    // Badges are upper case: Vietnamese capitals with a hook or a tilde above (Ả, Ẩ, Ỗ) rise
    // above the label's box, which would clip them ("KẾT QUẢ" read "KẾT QUA").
    Badge: Badge.extend({ styles: { label: { overflow: 'visible' } } }),
  },
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
});

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});

// Any 401 (session expired, user disabled): forget the user; <RequireAuth> sends them to /login.
setUnauthorizedHandler(() => queryClient.setQueryData(['me'], null));

/** A page the role may not use shows "not found", as the server does. */
function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useCan(permission) ? children : <NotFoundPage />;
}

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  // Issue 10, item 8: one's own password and sessions, outside the shell (it is the only page
  // while a reset password must be changed).
  {
    path: PASSWORD_PATH,
    element: (
      <RequireAuth>
        <PasswordPage />
      </RequireAuth>
    ),
  },
  ...publicEntryRoutes,
  ...publicVaccinationRoutes,
  ...publicTestingRoutes,
  ...publicPictureRoutes, // issue 12 (picture)
  {
    path: '/',
    element: (
      <RequireAuth>
        <Shell />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomePage /> },
      {
        path: 'users',
        element: (
          <Guard permission="users.read">
            <UsersPage />
          </Guard>
        ),
      },
      {
        path: 'users/:id',
        element: (
          <Guard permission="users.read">
            <UserDetailPage />
          </Guard>
        ),
      },
      {
        path: 'units',
        element: (
          <Guard permission="geo.read">
            <UnitsHome />
          </Guard>
        ),
      },
      {
        path: 'units/:code',
        element: (
          <Guard permission="geo.read">
            <UnitsPage />
          </Guard>
        ),
      },
      // issue 16 item 7: roles and their permissions, in words
      {
        path: 'vai-tro',
        element: (
          <Guard permission="users.read">
            <RolesPage />
          </Guard>
        ),
      },
      {
        path: 'audit',
        element: (
          <Guard permission="audit.read">
            <AuditPage />
          </Guard>
        ),
      },
      ...peopleRoutes,
      ...vaccinationRoutes,
      ...testingRoutes,
      ...casesRoutes,
      ...entryRoutes,
      ...careRoutes, // quarantine and treatment (issue 11)
      ...pictureRoutes, // issue 12 (picture)
      ...ruleSetRoutes, // issue 18 (rule sets)
      ...greenLaneRoutes, // issue 17 (green lane)
      ...suppliesRoutes, // issue 18 (supplies)
      ...enforcementRoutes, // issue 18 (enforcement)
      ...teamsRoutes, // issue 18 item 2 (community teams)
      ...workplaceRoutes, // issue 18 item 4 (workplaces and schools)
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="bottom-center" />
      <ModalsProvider>
        <QueryClientProvider client={queryClient}>
          {/* issue 10 item 13: every page of a demo server says so */}
          <DemoBanner />
          <RouterProvider router={router} />
        </QueryClientProvider>
      </ModalsProvider>
    </MantineProvider>
  );
}
