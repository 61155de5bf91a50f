/** The picture pages inside the shell: levels and the dashboard. */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import '@mantine/charts/styles.css';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { DashboardPage } from './DashboardPage.tsx';
import { LevelsPage } from './LevelsPage.tsx';
import { ProjectionsPage } from './ProjectionsPage.tsx';
import { PublicMapPage } from './PublicMapPage.tsx';
import type { PicturePermission } from './t.ts';

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
