/** The picture pages inside the shell: levels and the dashboard. */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import '@mantine/charts/styles.css';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import type { PicturePermission } from './t.ts';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const DashboardPage = lazyPage(() => import('./DashboardPage.tsx'), 'DashboardPage');
const LevelsPage = lazyPage(() => import('./LevelsPage.tsx'), 'LevelsPage');
const ProjectionsPage = lazyPage(() => import('./ProjectionsPage.tsx'), 'ProjectionsPage');
const PublicMapPage = lazyPage(() => import('./PublicMapPage.tsx'), 'PublicMapPage');

function Guard({ permission, children }: { permission: PicturePermission; children: ReactNode }) {
  return useMe().permissions.includes(permission) ? children : <NotFoundPage />;
}

/** Outside the login: the public map. */
export const publicPictureRoutes: RouteObject[] = [{ path: '/ban-do', element: <PublicMapPage /> }];

export const pictureRoutes: RouteObject[] = [
  {
    path: 'cap-do-dich',
    element: (
      <Guard permission="levels.read">
        <LevelsPage />
      </Guard>
    ),
  },
  {
    path: 'tinh-hinh',
    element: (
      <Guard permission="dashboard.read">
        <DashboardPage />
      </Guard>
    ),
  },
  {
    path: 'du-bao',
    element: (
      <Guard permission="projections.run">
        <ProjectionsPage />
      </Guard>
    ),
  },
];
