/** Community team pages (issue 18 item 2): children of the shell route (see App.tsx). */
import type { RouteObject } from 'react-router';
import { PermissionGuard } from '../supplies/routes.tsx';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const TeamManagePage = lazyPage(() => import('./TeamManagePage.tsx'), 'TeamManagePage');
const TeamsPage = lazyPage(() => import('./TeamsPage.tsx'), 'TeamsPage');
const TeamTasksPage = lazyPage(() => import('./TeamTasksPage.tsx'), 'TeamTasksPage');

export const teamsRoutes: RouteObject[] = [
  {
    path: 'to-covid',
    element: (
      <PermissionGuard permission="teams.read">
        <TeamsPage />
      </PermissionGuard>
    ),
  },
  {
    path: 'to-covid/:id/viec',
    element: (
      <PermissionGuard permission="teams.read">
        <TeamTasksPage />
      </PermissionGuard>
    ),
  },
  {
    path: 'to-covid/:id/quan-ly',
    element: (
      <PermissionGuard permission="teams.manage">
        <TeamManagePage />
      </PermissionGuard>
    ),
  },
];
